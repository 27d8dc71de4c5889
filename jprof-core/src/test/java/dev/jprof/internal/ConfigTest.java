package dev.jprof.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.jprof.capture.ProfileOptions;
import dev.jprof.trace.TraceOptions;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigTest {

    @Test
    void booleansAreTrueOrFalseInAnyCase() {
        assertThat(Config.parseBoolean("true", "k")).isTrue();
        assertThat(Config.parseBoolean(" TRUE ", "k")).isTrue();
        assertThat(Config.parseBoolean("False", "k")).isFalse();
    }

    @Test
    void anythingElseIsAnErrorNamingKeyAndValue() {
        for (String bad : List.of("nah", "yes", "on", "1", "", "truee")) {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> Config.parseBoolean(bad, "jprof.alloc.sites"))
                    .withMessage("Invalid jprof.alloc.sites [" + bad + "]: expected true or false");
        }
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Config.parseBoolean(null, "--update"))
                .withMessage("Invalid --update [null]: expected true or false");
    }

    @Test
    void listsAreSplitTrimmedAndBlankPartsLeftOut() {
        assertThat(Config.split(" cpu, ,alloc,", ',')).containsExactly("cpu", "alloc");
        assertThat(Config.split(",,", ',')).isEmpty();
        assertThat(Config.split("", ',')).isEmpty();
        assertThat(Config.split(null, ',')).isEmpty();
        assertThat(Config.split("a=1; b = 2 ;", ';')).containsExactly("a=1", "b = 2");
    }

    @Test
    void unknownKeysWarnNamingTheNearestKnownKey() {
        List<String> warnings = Config.unknownKeyWarnings(
                Config.KNOWN_KEYS,
                List.of(
                        "jprof.cpu.intreval",
                        "jprof.enabled",
                        "java.version",
                        "jprof.alloc.site",
                        "jprof.zzzzzzzzzzzz"));
        assertThat(warnings)
                .containsExactly(
                        "Unknown configuration key [jprof.alloc.site]: jprof does not read it; did you mean [jprof.alloc.sites]?",
                        "Unknown configuration key [jprof.cpu.intreval]: jprof does not read it; did you mean [jprof.cpu.interval]?",
                        "Unknown configuration key [jprof.zzzzzzzzzzzz]: jprof does not read it");
    }

    @Test
    void knownKeysAndOtherPrefixesGiveNoWarning() {
        assertThat(Config.unknownKeyWarnings(Config.KNOWN_KEYS, Config.KNOWN_KEYS))
                .isEmpty();
        assertThat(Config.unknownKeyWarnings(Config.KNOWN_KEYS, List.of("jprofx.cpu", "junit.jupiter.x", "user.dir")))
                .isEmpty();
    }

    @Test
    void editDistanceCountsSwapsOfNeighboursAsOneEdit() {
        assertThat(Config.distance("intreval", "interval")).isEqualTo(1);
        assertThat(Config.distance("abc", "abc")).isZero();
        assertThat(Config.distance("", "abc")).isEqualTo(3);
        assertThat(Config.distance("kitten", "sitting")).isEqualTo(3);
        assertThat(Config.nearest(Config.KNOWN_KEYS, "JPROF.ENGINE")).isEqualTo("jprof.engine");
    }

    @Test
    void theCoreKeysAreInTheOneList() {
        assertThat(Config.KNOWN_KEYS)
                .doesNotHaveDuplicates()
                .allMatch(k -> k.startsWith(Config.PREFIX))
                .contains(
                        ProfileOptions.ENGINE,
                        ProfileOptions.CPU_INTERVAL,
                        ProfileOptions.CPU_EVENT,
                        ProfileOptions.WALL_INTERVAL,
                        ProfileOptions.ALLOC_INTERVAL,
                        ProfileOptions.LOCK_THRESHOLD,
                        TraceOptions.INTERVAL);
    }
}
