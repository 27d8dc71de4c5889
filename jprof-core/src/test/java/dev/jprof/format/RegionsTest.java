package dev.jprof.format;

import static dev.jprof.assertj.JprofAssertions.assertThat;
import static java.time.Duration.ofMillis;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jprof.api.Jprof;
import dev.jprof.api.Region;
import dev.jprof.api.Task;
import dev.jprof.assertj.JprofAssertions;
import dev.jprof.capture.Profiler;
import dev.jprof.capture.Workloads;
import dev.jprof.profile.Profile;
import dev.jprof.profile.Sample;
import dev.jprof.trace.RegionSlice;
import dev.jprof.trace.Slice;
import dev.jprof.trace.SliceKind;
import dev.jprof.trace.Timeline;
import dev.jprof.trace.TraceThread;
import dev.jprof.trace.Tracer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Regions, tasks and logs marked with {@code dev.jprof.api.Jprof}, in traces and profiles. */
class RegionsTest {

    static void parse(long millis) throws InterruptedException {
        Thread.sleep(millis);
    }

    @Test
    void regionsTasksAndLogsAreInTheTimeline() throws Throwable {
        String me = Thread.currentThread().getName();
        Timeline t = Tracer.trace(() -> {
            Jprof.region("parse", () -> parse(30));
            try (Region r = Jprof.region("parse")) {
                Jprof.region("parse", () -> parse(30)); // nested in one of its name: counted once
            }
            Task request = Jprof.task("request");
            request.region("receive", () -> parse(5));
            Thread worker = new Thread(
                    () -> request.region("store", () -> {
                        request.log("db", "saved");
                        java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
                    }),
                    "store-worker");
            worker.start();
            worker.join();
            request.close();
            Jprof.log("cache", "miss key=7");
        });
        assertThat(t.regions("parse"))
                .hasSize(3)
                .allSatisfy(r -> assertThat(r.thread().name()).isEqualTo(me));
        assertThat(t.regionTime("parse")).isBetween(ofMillis(60), ofMillis(60 + 1_000));
        assertThat(t).region("parse").totalTime().isGreaterThanOrEqualTo(ofMillis(60));
        assertThat(t).region("parse").count().isEqualTo(3);
        assertThatThrownBy(() -> assertThat(t).region("parse").totalTime().isLessThan(ofMillis(20)))
                .hasMessageContaining("total time of region parse (3 regions)");
        assertThatThrownBy(() -> assertThat(t).region("render"))
                .hasMessageContaining(
                        "Expecting a region named \"render\" in the trace but saw only [\"parse\", \"receive\", \"store\"]");
        RegionSlice store = t.regions("store").get(0);
        assertThat(store.thread().name()).isEqualTo("store-worker");
        assertThat(store.task()).isEqualTo("request");
        assertThat(store.taskId())
                .isEqualTo(t.regions("receive").get(0).taskId())
                .isPositive();
        assertThat(t.logs())
                .extracting(l ->
                        l.category() + ": " + l.message() + " on " + l.thread().name())
                .containsExactly("db: saved on store-worker", "cache: miss key=7 on " + me);

        // trace.json: regions are slices on their threads' tracks, the task a flow, the logs instants
        List<Map<String, Object>> events = TraceEventFormatTest.validate(TraceEventFormat.toJson(t, "regions"));
        long storeTid = store.thread().id();
        assertThat(events)
                .filteredOn(e -> e.get("name").equals("store") && e.get("ph").equals("X"))
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.get("tid")).isEqualTo(storeTid);
                    assertThat(e.get("cat")).isEqualTo("jprof,region");
                    assertThat(((Map<?, ?>) e.get("args")).get("detail"))
                            .isEqualTo("task request (" + store.taskId() + ")");
                });
        assertThat(events)
                .filteredOn(e -> e.get("name").equals("parse") && e.get("ph").equals("X"))
                .hasSize(3);
        assertThat(events)
                .filteredOn(e -> "jprof,task".equals(e.get("cat")))
                .extracting(e -> e.get("ph") + " " + e.get("id") + " " + e.get("tid"))
                .containsExactly(
                        "s " + store.taskId() + " "
                                + t.regions("receive").get(0).thread().id(),
                        "f " + store.taskId() + " " + storeTid);
        assertThat(events)
                .filteredOn(e -> "jprof,log".equals(e.get("cat")))
                .extracting(e -> e.get("name") + " " + ((Map<?, ?>) e.get("args")).get("category") + " " + e.get("s"))
                .containsExactly("saved db t", "miss key=7 cache t");
    }

    @Test
    void aRegionEnclosesWhatItsThreadDidInTraceJson() {
        TraceThread main = new TraceThread(1, "main", true);
        // a running slice that starts before a region and ends inside it is cut at the region's start
        Timeline t = new Timeline(
                0,
                100_000_000,
                ofMillis(10),
                List.of(main),
                List.of(
                        new Slice(SliceKind.RUNNING, main, 0, 50_000_000, "5 samples", List.of()),
                        new Slice(SliceKind.SLEEPING, main, 60_000_000, 30_000_000, "", List.of())),
                List.of(new RegionSlice("parse", main, 20_000_000, 70_000_000, 0, "")),
                List.of());
        List<Map<String, Object>> events = TraceEventFormatTest.validate(TraceEventFormat.toJson(t, "nest"));
        assertThat(events)
                .filteredOn(e -> e.get("ph").equals("X"))
                .extracting(e -> e.get("name") + " " + e.get("ts") + "+" + e.get("dur"))
                .contains("parse 20000+70000", "running 0+20000", "running 20000+30000", "sleeping 60000+30000");
    }

    @Test
    void cpuSamplesInsideARegionCarryItsLabel() throws Exception {
        Profile cpu = Profiler.cpu(() -> {
            // sleeps keep the edges of the region far from the burning, whatever the clocks' skew
            Jprof.region("parse", () -> {
                Thread.sleep(50);
                Workloads.spinCpuTime(600);
                Thread.sleep(50);
            });
            Thread.sleep(50);
            Workloads.burnInB(600);
        });
        long inParse = 0;
        for (Sample s : cpu.samples()) {
            boolean spin = s.stack().stream().anyMatch(f -> f.function().endsWith("Workloads.spinCpuTime"));
            boolean b = s.stack().stream().anyMatch(f -> f.function().endsWith("Workloads.burnInB"));
            if (spin && !b) {
                assertThat(s.label(Sample.REGION_LABEL)).as("region of %s", s).isEqualTo("parse");
                inParse++;
            } else if (b) {
                assertThat(s.label(Sample.REGION_LABEL)).as("region of %s", s).isNull();
            }
        }
        assertThat(inParse).isPositive();
        JprofAssertions.assertThat(cpu)
                .inRegion("parse")
                .hotFunctions(5)
                .names()
                .anyMatch(f -> f.endsWith("Workloads.spinCpuTime"))
                .noneMatch(f -> f.endsWith("Workloads.burnInB"));
    }
}
