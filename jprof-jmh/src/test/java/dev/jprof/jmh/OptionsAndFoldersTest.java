package dev.jprof.jmh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jprof.capture.Engine;
import dev.jprof.profile.ProfileKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.profile.ProfilerException;

class OptionsAndFoldersTest {

    @Test
    void defaults() throws Exception {
        ProfilerOptions o = ProfilerOptions.parse("");
        assertThat(o.events()).containsExactly(ProfileKind.CPU);
        assertThat(o.dir()).isEqualTo(Path.of("target/jprof/jmh"));
        assertThat(o.interval()).isEqualTo(Duration.ofMillis(3));
        assertThat(o.objects()).isFalse();
        assertThat(o.top()).isEqualTo(10);
        assertThat(o.engine()).isEqualTo(Engine.AUTO);
    }

    @Test
    void parsesJmhStyleOptions() throws Exception {
        ProfilerOptions o = ProfilerOptions.parse(
                "events=cpu,alloc,lock,wall; dir=/tmp/p ;interval=500us;objects=true;top=3;engine=jfr");
        assertThat(o.events())
                .isEqualTo(Set.of(ProfileKind.CPU, ProfileKind.ALLOC, ProfileKind.LOCK, ProfileKind.WALL));
        assertThat(o.dir()).isEqualTo(Path.of("/tmp/p"));
        assertThat(o.interval()).isEqualTo(Duration.ofNanos(500_000));
        assertThat(o.objects()).isTrue();
        assertThat(o.top()).isEqualTo(3);
        assertThat(o.engine()).isEqualTo(Engine.JFR);
        assertThat(ProfilerOptions.parse("events=none").events()).isEmpty();
        // objects need an every-allocation alloc capture, on async-profiler
        assertThat(o.capture(java.util.List.of()).allocInterval()).isEqualTo(ProfilerOptions.EVERY_ALLOCATION);
        assertThat(o.capture(java.util.List.of()).engine()).isEqualTo(Engine.ASYNC_PROFILER);
    }

    @Test
    void rejectsUnknownOptionsAndBadValuesWithTheHelp() {
        assertThatThrownBy(() -> new JprofProfiler("events=cpu;evnets=alloc;x"))
                .isInstanceOf(ProfilerException.class)
                .hasMessageStartingWith("Unhandled options: [evnets=alloc, x]\n")
                .hasMessageContaining("events=<kinds>")
                .hasMessageContaining("(default: cpu)");
        assertThatThrownBy(() -> new JprofProfiler("events=cpu,heap"))
                .hasMessageStartingWith(
                        "Invalid value for option [events]: Unknown profile kind [heap]: expected one of cpu, wall, alloc, lock");
        assertThatThrownBy(() -> new JprofProfiler("interval=fast"))
                .hasMessageStartingWith("Invalid value for option [interval]: Invalid duration [fast]");
        assertThatThrownBy(() -> new JprofProfiler("objects=maybe"))
                .hasMessageStartingWith(
                        "Invalid value for option [objects]: Invalid objects [maybe]: expected true or false\n");
        assertThatThrownBy(() -> new JprofProfiler("objects=yes"))
                .as("one boolean parser: only true or false")
                .hasMessageStartingWith(
                        "Invalid value for option [objects]: Invalid objects [yes]: expected true or false\n");
        assertThatThrownBy(() -> new JprofProfiler("dir"))
                .hasMessageStartingWith("Option [dir] needs a value: dir=<path>");
        assertThatThrownBy(() -> new JprofProfiler("help"))
                .hasMessageStartingWith("Usage: -prof dev.jprof.jmh.JprofProfiler:opt1=value1;opt2=value2");
    }

    @Test
    void foldersFollowBenchmarkAndParams() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("size", "1000");
        params.put("format", "a/b:c");
        assertThat(BenchmarkFolders.of("com.acme.ParserBench.parse", "thrpt", params))
                .isEqualTo(Path.of("com.acme.ParserBench.parse", "size=1000,format=a_b_c"));
        assertThat(BenchmarkFolders.of("com.acme.ParserBench.parse", "thrpt", Map.of()))
                .isEqualTo(Path.of("com.acme.ParserBench.parse"));
        assertThat(BenchmarkFolders.of("com.acme.ParserBench.parse", "avgt", Map.of()))
                .isEqualTo(Path.of("com.acme.ParserBench.parse", "mode=avgt"));
        String longName = "x".repeat(300);
        assertThat(BenchmarkFolders.safe(longName))
                .hasSizeLessThanOrEqualTo(BenchmarkFolders.MAX_BYTES)
                .contains("~");
        assertThat(BenchmarkFolders.safe("CON")).isEqualTo("_CON");
        assertThat(BenchmarkFolders.safe("a. ")).isEqualTo("a_");
    }
}
