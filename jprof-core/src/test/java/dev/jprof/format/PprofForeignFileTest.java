package dev.jprof.format;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jprof.profile.Frame;
import dev.jprof.profile.Profile;
import dev.jprof.profile.Sample;
import dev.jprof.profile.ValueType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Reads pprof files written by other tools; see {@code src/test/resources/foreign/README.md}. */
class PprofForeignFileTest {

    private static final Path ASYNC_PROFILER = Path.of("src/test/resources/foreign/async-profiler-converter-cpu.pb.gz");

    @Test
    void readsAsyncProfilersConverterOutput() throws IOException {
        Profile profile = Pprof.read(ASYNC_PROFILER);

        assertThat(profile.sampleTypes()).containsExactly(new ValueType("cpu", "count"));
        assertThat(profile.kind()).isEmpty();
        assertThat(profile.total(0)).isEqualTo(304);
        assertThat(profile.samples()).allSatisfy(s -> assertThat(s.value(0)).isPositive());
        assertThat(profile.comments()).contains("Produced by async-profiler");
        assertThat(profile.startEpochNanos()).isPositive();
        assertThat(profile.frames())
                .contains(
                        new Frame("MakeJfr.spin", "", 7),
                        new Frame("MakeJfr.main", "", 24),
                        new Frame("java/lang/Long.hashCode", "", 1445));
        // The hot loop: leaf MakeJfr.spin, called by burnCpu, called by main.
        long spinLeaf = profile.samples().stream()
                .filter(s -> s.stack().get(0).function().equals("MakeJfr.spin"))
                .peek(s -> assertThat(s.stack())
                        .extracting(Frame::function)
                        .containsExactly("MakeJfr.spin", "MakeJfr.burnCpu", "MakeJfr.main"))
                .mapToLong(s -> s.value(0))
                .sum();
        assertThat(spinLeaf).isEqualTo(251);
        assertThat(profile.samples())
                .extracting(s -> s.label(Sample.THREAD_LABEL))
                .allMatch(t -> t.startsWith("[") && t.contains(" tid="))
                .contains("[main tid=5301]");
    }

    @Test
    void readsTheSameFromAStream() throws IOException {
        try (InputStream in = ClassLoader.getSystemResourceAsStream("foreign/async-profiler-converter-cpu.pb.gz")) {
            assertThat(Pprof.read(in)).isEqualTo(Pprof.read(ASYNC_PROFILER));
        }
    }

    @Test
    void rewritingItKeepsEverything() throws IOException {
        Profile profile = Pprof.read(ASYNC_PROFILER);

        Profile back = Pprof.read(new java.io.ByteArrayInputStream(Pprof.toBytes(profile)));

        assertThat(back).isEqualTo(profile);
    }
}
