package dev.jprof.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A run that asks for leak checks but cannot apply them to every test is told so. */
class ThreadLeakWarningTest {

    private static Optional<String> warning(Map<String, String> config) {
        return ThreadLeakExtension.runWarning(k -> Optional.ofNullable(config.get(k)));
    }

    @Test
    void theKeyWithoutAutoDetectionChecksOnlyAnnotatedTestsAndTheRunIsWarned() {
        assertThat(warning(Map.of("jprof.threads.leaks", "fail")))
                .contains(
                        "jprof.threads.leaks=fail checks only tests under"
                                + " @NoThreadLeaks: set junit.jupiter.extensions.autodetection.enabled=true to check every test of the run");
        assertThat(warning(Map.of(
                        "jprof.threads.leaks", "warn", "junit.jupiter.extensions.autodetection.enabled", "TRUE")))
                .isEmpty();
        assertThat(warning(Map.of())).isEmpty();
    }
}
