package dev.jprof.format;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.jprof.capture.internal.JfrConverter;
import dev.jprof.format.internal.ProfileArtifacts;
import dev.jprof.profile.Profile;
import dev.jprof.profile.ProfileKind;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * Reads JFR recordings into profiles: async-profiler's ({@code jfr} output, or jprof's own
 * recordings) and the JDK's Flight Recorder's (for example from {@code -XX:StartFlightRecording}).
 *
 * <p>What becomes a profile, by kind:
 *
 * <ul>
 *   <li>{@link ProfileKind#CPU}: {@code jdk.ExecutionSample}; each sample is one sampling interval of
 *       CPU time, the interval the recording's settings give (async-profiler's {@code interval}, the
 *       JDK's {@code jdk.ExecutionSample} period).
 *   <li>{@link ProfileKind#WALL}: async-profiler's {@code profiler.WallClockSample}; from the JDK,
 *       {@code jdk.ExecutionSample} and {@code jdk.NativeMethodSample}. Threads that never ran during
 *       the recording, pool threads waiting for a task and threads that run no Java code are left
 *       out, as in jprof's own wall profiles.
 *   <li>{@link ProfileKind#ALLOC}: the TLAB allocation events and {@code jdk.ObjectAllocationSample}
 *       (which win where a recording holds both); the class is the {@code class} label.
 *   <li>{@link ProfileKind#LOCK}: {@code jdk.JavaMonitorEnter} and {@code jdk.ThreadPark} (from the
 *       JDK, parks on {@code java.util.concurrent.locks} only); the value is the wait, the lock's class
 *       the {@code lock} label.
 * </ul>
 *
 * <p>Every sample has a {@code thread} label; every thread is kept, the JVM's too. CPU and wall
 * samples with the same stack and labels are one sample whose {@code samples} value counts them;
 * allocation and lock events stay one sample each. async-profiler's recordings are read with a
 * streaming reader made for them; only the JDK's go through {@code jdk.jfr.consumer}.
 *
 * <p>From the command line, {@code java -cp jprof-core.jar dev.jprof.format.Jfr <in.jfr> <out-dir>}
 * writes {@code <kind>.pb.gz} and {@code <kind>.html} for every kind the recording holds (see
 * {@link #main}).
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class Jfr {

    /** Exit code of {@link #main}: the recording could not be read, held no profile, or a file could not be written. */
    public static final int EXIT_FAILED = 1;
    /** Exit code of {@link #main}: wrong arguments. */
    public static final int EXIT_USAGE = 2;

    private static final String USAGE = """
            Usage: java -cp jprof-core.jar dev.jprof.format.Jfr <in.jfr> <out-dir>
            Writes <kind>.pb.gz (pprof) and <kind>.html (flame graph) into <out-dir> for each kind the JFR
            recording holds: cpu, wall, alloc, lock. Exit codes: 0 written, 1 the recording cannot be read or
            holds no profile or a file cannot be written, 2 wrong arguments.""";

    private Jfr() {}

    /**
     * Reads every profile kind {@code jfrFile} holds. A kind the recording has no sample of is absent
     * from the map.
     *
     * @throws IOException naming {@code jfrFile} when it does not exist, cannot be read, is not a JFR
     *     recording, is corrupt or is truncated
     */
    public static Map<ProfileKind, Profile> read(Path jfrFile) throws IOException {
        return read(jfrFile, EnumSet.allOf(ProfileKind.class));
    }

    /**
     * Reads the profiles of {@code kinds} that {@code jfrFile} holds, skipping the events of other
     * kinds: {@code Jfr.read(file, EnumSet.of(ProfileKind.CPU))} for the CPU profile alone. A kind the
     * recording has no sample of is absent from the map.
     *
     * @throws IOException naming {@code jfrFile} when it does not exist, cannot be read, is not a JFR
     *     recording, is corrupt or is truncated
     */
    public static Map<ProfileKind, Profile> read(Path jfrFile, Set<ProfileKind> kinds) throws IOException {
        return JfrConverter.readWhole(
                Objects.requireNonNull(jfrFile, "jfrFile"), Objects.requireNonNull(kinds, "kinds"));
    }

    /**
     * Converts a recording from the command line: {@code <in.jfr> <out-dir>}. Prints each file written;
     * exits with 0 when it wrote at least one profile, {@value #EXIT_FAILED} when the recording cannot
     * be read or holds no profile or a file cannot be written, {@value #EXIT_USAGE} for wrong arguments.
     */
    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** {@link #main} without leaving the JVM: the exit code. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 1 && (args[0].equals("-h") || args[0].equals("--help"))) {
            out.println(USAGE);
            return 0;
        }
        if (args.length != 2) {
            err.println("jprof: expected 2 arguments, got " + args.length);
            err.println(USAGE);
            return EXIT_USAGE;
        }
        Path in = Path.of(args[0]);
        Path dir = Path.of(args[1]);
        Map<ProfileKind, Profile> profiles;
        try {
            profiles = read(in);
        } catch (IOException e) {
            err.println("jprof: " + e.getMessage());
            return EXIT_FAILED;
        }
        if (profiles.isEmpty()) {
            err.println("jprof: the JFR recording [" + in + "] holds no CPU, wall, allocation or lock samples");
            return EXIT_FAILED;
        }
        try {
            Files.createDirectories(dir);
            String name = in.getFileName().toString();
            for (Map.Entry<ProfileKind, Profile> e : profiles.entrySet()) {
                for (Path written : ProfileArtifacts.write(
                        e.getValue(),
                        dir,
                        e.getKey().id(),
                        name + " — " + e.getKey().id())) {
                    out.println(written);
                }
            }
        } catch (IOException | RuntimeException e) {
            err.println("jprof: cannot write the profiles of [" + in + "] into [" + dir + "]: " + e.getMessage());
            return EXIT_FAILED;
        }
        return 0;
    }
}
