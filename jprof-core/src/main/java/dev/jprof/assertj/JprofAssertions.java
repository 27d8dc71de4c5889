package dev.jprof.assertj;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.jprof.profile.Profile;
import org.apiguardian.api.API;

/**
 * The entry point of jprof's AssertJ assertions: {@code import static
 * dev.jprof.assertj.JprofAssertions.assertThat;}
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class JprofAssertions {

    private JprofAssertions() {}

    /**
     * Assertions on what is hot in {@code profile}:
     * {@code assertThat(cpu).hotFunctions(5).noneMatch("java\\.util\\.regex")}.
     */
    public static ProfileAssert assertThat(Profile profile) {
        return new ProfileAssert(profile);
    }
}
