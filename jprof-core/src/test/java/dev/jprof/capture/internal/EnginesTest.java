package dev.jprof.capture.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jprof.capture.CaptureException;
import dev.jprof.capture.Engine;
import org.junit.jupiter.api.Test;

class EnginesTest {

    private final Engines unloadable = new Engines(() -> {
        throw new UnsatisfiedLinkError("no libasyncProfiler.so for test/arch");
    });

    @Test
    void autoFallsBackToJfrWhenAsyncProfilerCannotLoad() {
        assertThat(unloadable.choose(Engine.AUTO)).isEqualTo("jfr");
        assertThat(unloadable.choose(Engine.AUTO)).isEqualTo("jfr");
    }

    @Test
    void forcedAsyncProfilerFailsNamingTheCause() {
        assertThatThrownBy(() -> unloadable.choose(Engine.ASYNC_PROFILER))
                .isInstanceOf(CaptureException.class)
                .hasMessageContaining("jprof.engine=async-profiler")
                .hasMessageContaining("no libasyncProfiler.so for test/arch");
    }

    @Test
    void autoUsesAsyncProfilerWhereItLoads() {
        assertThat(Engines.get().choose(Engine.AUTO)).isEqualTo("async-profiler");
        assertThat(Engines.get().choose(Engine.JFR)).isEqualTo("jfr");
    }

    @Test
    void startCommandCarriesEveryKindAndQuietsNativeLogging() {
        var o = dev.jprof.capture.ProfileOptions.of(dev.jprof.profile.ProfileKind.values());
        assertThat(AsyncProfilerChannel.startCommand(o, java.nio.file.Path.of("/tmp/x.jfr")))
                .isEqualTo(
                        "start,event=" + dev.jprof.capture.ProfileOptions.of().cpuEvent()
                                + ",interval=3000000,wall=5000000,alloc=4194304,lock=0,loglevel=ERROR,jfr,file=/tmp/x.jfr");
    }
}
