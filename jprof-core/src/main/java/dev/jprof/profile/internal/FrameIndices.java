package dev.jprof.profile.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.jprof.profile.Profile;
import dev.jprof.profile.Sample;
import java.util.Objects;
import java.util.function.Function;
import org.apiguardian.api.API;

/**
 * A sample's stack as indices into its profile's {@link Profile#frames()}, which
 * {@link Profile.Builder} knows anyway when it interns a stack's frames: the pprof writer numbers
 * locations from them without looking each frame up again. Not part of jprof's API: the indices are
 * {@code Sample}'s own, published here only to jprof's writers (the JDK's "shared secrets" pattern).
 */
@API(status = INTERNAL, since = "0.1")
public final class FrameIndices {

    private static volatile Function<Sample, int[]> access;

    private FrameIndices() {}

    /**
     * The index in its profile's {@link Profile#frames()} of each frame of {@code sample}'s stack,
     * leaf first; shared, never to be changed.
     */
    public static int[] of(Sample sample) {
        // a Sample exists, so its class is initialized and has installed access
        return access.apply(Objects.requireNonNull(sample, "sample"));
    }

    /**
     * Called once, by {@link Sample}'s static initializer.
     *
     * @throws IllegalStateException when access is installed already
     */
    public static synchronized void install(Function<Sample, int[]> sampleAccess) {
        if (access != null) {
            throw new IllegalStateException("FrameIndices is installed already");
        }
        access = Objects.requireNonNull(sampleAccess, "sampleAccess");
    }
}
