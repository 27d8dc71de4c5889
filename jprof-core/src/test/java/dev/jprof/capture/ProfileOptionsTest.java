package dev.jprof.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.jprof.profile.ProfileKind;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** Configuration values that are out of range or unknown fail like malformed ones, naming the key. */
class ProfileOptionsTest {

    private static ProfileOptions from(String key, String value) {
        Map<String, String> config = Map.of(key, value);
        return ProfileOptions.defaults(k -> Optional.ofNullable(config.get(k)));
    }

    @Test
    void validValuesAreRead() {
        assertThat(from(ProfileOptions.CPU_INTERVAL, "250us").cpuInterval()).isEqualTo(Duration.ofNanos(250_000));
        assertThat(from(ProfileOptions.CPU_INTERVAL, "1s").cpuInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(from(ProfileOptions.ALLOC_INTERVAL, "1g").allocInterval()).isEqualTo(1L << 30);
        assertThat(from(ProfileOptions.LOCK_THRESHOLD, "10s").lockThreshold()).isEqualTo(Duration.ofSeconds(10));
        for (String event : new String[] {
            "cpu", "ctimer", "itimer", "cycles", "cache-misses", "r4f2e", "sched:sched_switch", "cpu/event=0x3c/"
        }) {
            assertThat(from(ProfileOptions.CPU_EVENT, event).cpuEvent()).isEqualTo(event);
        }
    }

    /**
     * ctimer fires at most once per kernel tick, so an interval shorter than the default gets perf events
     * (which honour it) unless the event is set; a set event is kept whatever the interval.
     */
    @Test
    @EnabledOnOs(OS.LINUX)
    void onLinuxTheDefaultEventIsCtimerUnlessTheIntervalIsShorterThanTheDefault() {
        assertThat(ProfileOptions.of(ProfileKind.CPU).cpuEvent()).isEqualTo("ctimer");
        assertThat(from(ProfileOptions.CPU_INTERVAL, "3ms").cpuEvent()).isEqualTo("ctimer");
        assertThat(from(ProfileOptions.CPU_INTERVAL, "10ms").cpuEvent()).isEqualTo("ctimer");
        assertThat(from(ProfileOptions.CPU_INTERVAL, "1ms").cpuEvent()).isEqualTo("cpu");
        assertThat(from(ProfileOptions.CPU_INTERVAL, "2999us").cpuEvent()).isEqualTo("cpu");
        ProfileOptions fine = ProfileOptions.of(ProfileKind.CPU).withCpuInterval(Duration.ofMillis(1));
        assertThat(fine.cpuEvent()).isEqualTo("cpu");
        assertThat(fine.withCpuEvent("ctimer").cpuEvent()).isEqualTo("ctimer");
        assertThat(fine.withCpuEvent("ctimer")
                        .withCpuInterval(Duration.ofMillis(2))
                        .cpuEvent())
                .isEqualTo("ctimer");
        // the interval chosen later decides, not the one of when the options were made
        assertThat(fine.withCpuInterval(Duration.ofMillis(5)).cpuEvent()).isEqualTo("ctimer");
        assertThat(fine).isEqualTo(fine.withCpuEvent("cpu")).hasSameHashCodeAs(fine.withCpuEvent("cpu"));
        assertThat(fine.toString()).contains("cpu=cpu@1ms");
    }

    @Test
    void aDurationBeyondWhatALongHoldsIsAnErrorNotTheLargestLong() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> from(ProfileOptions.CPU_INTERVAL, "99999999999999999999ms"))
                .withMessage(
                        "Invalid duration [99999999999999999999ms] for jprof.cpu.interval: out of range, too large");
    }

    @Test
    void samplingIntervalsLongerThanASecondAreOutOfRange() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> from(ProfileOptions.CPU_INTERVAL, "2s"))
                .withMessage("Invalid jprof.cpu.interval [2s]: out of range, at most 1s");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> from(ProfileOptions.WALL_INTERVAL, "90000ms"))
                .withMessage("Invalid jprof.wall.interval [90s]: out of range, at most 1s");
    }

    @Test
    void allocationIntervalsBeyondOneGibibyteAreOutOfRange() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> from(ProfileOptions.ALLOC_INTERVAL, "9999999g"))
                .withMessage("Invalid jprof.alloc.interval [9999999g]: out of range, at most 1g");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> from(ProfileOptions.ALLOC_INTERVAL, "99999999999g"))
                .withMessage("Invalid size [99999999999g] for jprof.alloc.interval: out of range, too large");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> from(ProfileOptions.ALLOC_INTERVAL, "99999999999999999999"))
                .withMessage("Invalid size [99999999999999999999] for jprof.alloc.interval: out of range, too large");
    }

    @Test
    void anUnknownCpuEventNamesTheKey() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> from(ProfileOptions.CPU_EVENT, "bogus"))
                .withMessageStartingWith(
                        "Invalid jprof.cpu.event [bogus]: expected an async-profiler CPU event: cpu, ctimer or itimer");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> from(ProfileOptions.CPU_EVENT, "cpu,alloc=1"))
                .withMessageStartingWith("Invalid jprof.cpu.event [cpu,alloc=1]");
    }
}
