package dev.jprof.junit.internal;

import dev.jprof.capture.ProfileOptions;
import dev.jprof.capture.Profiler;
import dev.jprof.capture.Profiler.ThrowingRunnable;
import dev.jprof.junit.Jprof;
import dev.jprof.profile.Profile;
import dev.jprof.profile.ProfileKind;
import java.util.function.Supplier;

/** The {@link Jprof} a test gets as a parameter. */
final class JprofHandle implements Jprof {

    private final ProfileOptions defaults;
    /** Names the annotations that already profile the test, or returns {@code null}. */
    private final Supplier<String> alreadyProfiled;

    JprofHandle(ProfileOptions defaults, Supplier<String> alreadyProfiled) {
        this.defaults = defaults;
        this.alreadyProfiled = alreadyProfiled;
    }

    @Override
    public Profile cpu(ThrowingRunnable code) throws Exception {
        return profile(ProfileKind.CPU, code);
    }

    @Override
    public Profile wall(ThrowingRunnable code) throws Exception {
        return profile(ProfileKind.WALL, code);
    }

    @Override
    public Profile alloc(ThrowingRunnable code) throws Exception {
        return profile(ProfileKind.ALLOC, code);
    }

    @Override
    public Profile lock(ThrowingRunnable code) throws Exception {
        return profile(ProfileKind.LOCK, code);
    }

    private Profile profile(ProfileKind kind, ThrowingRunnable code) throws Exception {
        String profiled = alreadyProfiled.get();
        if (profiled != null) {
            throw new IllegalStateException("jprof." + kind.id() + "() cannot run in [" + profiled
                    + "], which an annotation already profiles (one capture runs at a time): remove the annotation, "
                    + "or profile in another test");
        }
        return Profiler.profile(kind, defaults, code);
    }
}
