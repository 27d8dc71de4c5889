package dev.jprof.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jprof.api.Region;
import dev.jprof.api.Task;
import dev.jprof.internal.Json;
import dev.jprof.profile.Profile;
import dev.jprof.profile.Sample;
import dev.jprof.testing.GoPprof;
import dev.jprof.testing.Parking;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Regions marked through the injected {@link Jprof} and {@code dev.jprof.api.Jprof}, in a test's artifacts. */
class RegionsExtensionTest extends EngineTestKitBase {

    static void pause() {
        // keeps each region's edges far from the burning, whatever the skew between the clocks; at least
        // 50 ms even when the test thread holds a permit (one parkNanos then returns at once)
        Parking.parkAtLeast(50);
    }

    static class Pipeline {
        @Test
        @Trace
        @ProfileCpu
        void pipeline(Jprof jprof) throws Exception {
            jprof.region("parse", () -> {
                pause();
                Burn.burnA(700);
                pause();
            });
            pause();
            try (Region r = dev.jprof.api.Jprof.region("render")) {
                pause();
                Burn.burnB(700);
                pause();
            }
            pause();
            Burn.burnC(300);
            Task request = jprof.task("request");
            request.region("receive", RegionsExtensionTest::pause);
            Thread store = new Thread(() -> request.region("store", RegionsExtensionTest::pause), "store-worker");
            store.start();
            store.join();
            request.close();
            jprof.log("cache", "miss key=7");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void regionsLabelTheSamplesTakenInThemAndAreSlicesOfTheTrace() throws IOException {
        run(Pipeline.class, Map.of())
                .testEvents()
                .assertStatistics(s -> s.started(1).succeeded(1));
        Path dir = folder(Pipeline.class, "pipeline(Jprof)");

        Profile cpu = Artifacts.read(dir.resolve("cpu.pb.gz"));
        int[] seen = new int[3];
        for (Sample s : cpu.samples()) {
            String region = s.label(Sample.REGION_LABEL);
            if (s.stack().stream().anyMatch(f -> f.function().endsWith("Burn.burnA"))) {
                assertThat(region).as("region of %s", s).isEqualTo("parse");
                seen[0]++;
            } else if (s.stack().stream().anyMatch(f -> f.function().endsWith("Burn.burnB"))) {
                assertThat(region).as("region of %s", s).isEqualTo("render");
                seen[1]++;
            } else if (s.stack().stream().anyMatch(f -> f.function().endsWith("Burn.burnC"))) {
                assertThat(region).as("region of %s", s).isNull();
                seen[2]++;
            }
        }
        assertThat(seen).as("samples in burnA, burnB, burnC").doesNotContain(0);
        // go tool pprof selects a region's samples by its label
        GoPprof.Result parse = GoPprof.run(
                "-top",
                "-cum",
                "-tagfocus=region=parse",
                dir.resolve("cpu.pb.gz").toString());
        assertThat(parse.exitCode()).as(parse.stderr()).isZero();
        assertThat(GoPprof.parseTop(parse.stdout()).keySet())
                .anyMatch(f -> f.endsWith("Burn.burnA"))
                .noneMatch(f -> f.endsWith("Burn.burnB") || f.endsWith("Burn.burnC"));
        GoPprof.Result tags = GoPprof.run("-tags", dir.resolve("cpu.pb.gz").toString());
        assertThat(tags.stdout()).contains("region:").contains("parse").contains("render");

        Map<String, Object> root = (Map<String, Object>) Json.parse(Files.readString(dir.resolve("trace.json")));
        List<Map<String, Object>> events = (List<Map<String, Object>>) root.get("traceEvents");
        Object testTid = events.stream()
                .filter(e -> e.get("name").equals("test start"))
                .findFirst()
                .orElseThrow()
                .get("tid");
        Object storeTid = events.stream()
                .filter(e -> e.get("name").equals("thread_name")
                        && ((Map<?, ?>) e.get("args")).get("name").equals("store-worker"))
                .findFirst()
                .orElseThrow()
                .get("tid");
        assertThat(events)
                .filteredOn(e -> "jprof,region".equals(e.get("cat")))
                .extracting(e -> e.get("name") + " on "
                        + (e.get("tid").equals(testTid) ? "test" : e.get("tid").equals(storeTid) ? "store" : "?"))
                .containsExactlyInAnyOrder("parse on test", "render on test", "receive on test", "store on store");
        assertThat(events)
                .filteredOn(e -> e.get("name").equals("parse") && "jprof,region".equals(e.get("cat")))
                .singleElement()
                .satisfies(
                        e -> assertThat(((Number) e.get("dur")).doubleValue()).isGreaterThanOrEqualTo(800_000.0));
        assertThat(events)
                .filteredOn(e -> "jprof,task".equals(e.get("cat")))
                .extracting(e -> e.get("ph") + " " + e.get("name"))
                .containsExactly("s request", "f request");
        assertThat(events)
                .filteredOn(e -> "jprof,log".equals(e.get("cat")))
                .extracting(e -> e.get("name"))
                .containsExactly("miss key=7");
    }
}
