package dev.jprof.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jprof.profile.Profile;
import dev.jprof.profile.ProfileKind;
import dev.jprof.profile.Sample;
import dev.jprof.testing.GoPprof;
import dev.jprof.testing.Recordings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Jfr}: async-profiler's and the JDK's recordings into profiles, from Java and from the command line. */
class JfrTest {

    private static final String HASH_LOOP = "dev.jprof.testing.Recordings.hashLoop";
    private static final String SHARED = "dev.jprof.testing.Recordings$Shared";
    private static final Set<String> PARSERS = Set.of("parser-1", "parser-2");

    @TempDir
    static Path shared;

    /** The JDK's own recording of {@link Recordings}, as a user makes one: {@code -XX:StartFlightRecording}, profile settings. */
    private static Path jdkRecording;

    @BeforeAll
    static void recordWithTheJdk() throws Exception {
        jdkRecording = shared.resolve("jdk.jfr");
        Process p = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-XX:StartFlightRecording=filename=" + jdkRecording + ",settings=profile,dumponexit=true",
                        "-cp",
                        System.getProperty("java.class.path"),
                        Recordings.class.getName(),
                        "jdk",
                        "-",
                        "3")
                .redirectErrorStream(true)
                .redirectOutput(shared.resolve("jdk.log").toFile())
                .start();
        // a guard against a hang only: the workload runs until its threads have had their CPU time, which on a
        // machine loaded by other builds takes tens of seconds (56 s at a load average of 13 with nice 10)
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("the recording JVM ends").isTrue();
        assertThat(p.exitValue())
                .as("the recording JVM: %s", Files.readString(shared.resolve("jdk.log")))
                .isZero();
        assertThat(jdkRecording).isNotEmptyFile();
    }

    /**
     * CPU and wall samples come in the order of their stacks read from the root, so that samples of one
     * code path follow each other in {@code cpu.pb.gz}, which gzip compresses better.
     */
    @Test
    void samplesAreOrderedByTheirStacksFromTheRoot(@TempDir Path dir) throws IOException {
        Map<ProfileKind, Profile> profiles = Jfr.read(Recordings.copy(Recordings.ASYNC_PROFILER_3S, dir));
        java.util.Comparator<dev.jprof.profile.Frame> byContent = java.util.Comparator.comparing(
                        dev.jprof.profile.Frame::function)
                .thenComparing(dev.jprof.profile.Frame::file)
                .thenComparingInt(dev.jprof.profile.Frame::line);
        for (ProfileKind kind : List.of(ProfileKind.CPU, ProfileKind.WALL)) {
            List<Sample> samples = profiles.get(kind).samples();
            assertThat(samples).as("%s samples", kind).hasSizeGreaterThan(50);
            for (int i = 1; i < samples.size(); i++) {
                List<dev.jprof.profile.Frame> before =
                        reversed(samples.get(i - 1).stack());
                List<dev.jprof.profile.Frame> after = reversed(samples.get(i).stack());
                int common = 0;
                while (common < before.size()
                        && common < after.size()
                        && before.get(common).equals(after.get(common))) {
                    common++;
                }
                if (common < before.size()) {
                    assertThat(common)
                            .as("%s sample %d, root first %s, after %s", kind, i, after, before)
                            .isLessThan(after.size());
                    assertThat(byContent.compare(before.get(common), after.get(common)))
                            .as("%s sample %d, root first %s, after %s", kind, i, after, before)
                            .isNegative();
                }
            }
        }
    }

    private static <T> List<T> reversed(List<T> list) {
        List<T> r = new java.util.ArrayList<>(list);
        java.util.Collections.reverse(r);
        return r;
    }

    @Test
    void readsAsyncProfilersRecording(@TempDir Path dir) throws IOException {
        Map<ProfileKind, Profile> profiles = Jfr.read(Recordings.copy(Recordings.ASYNC_PROFILER_3S, dir));

        assertThat(profiles).containsOnlyKeys(ProfileKind.CPU, ProfileKind.WALL, ProfileKind.ALLOC, ProfileKind.LOCK);
        profiles.values().forEach(p -> assertThat(p.comments()).containsExactly("engine=async-profiler/perf_events"));

        // async-profiler's command: interval=1ms, wall=10ms, alloc=128k
        Profile cpu = profiles.get(ProfileKind.CPU);
        assertThat(cpu.period()).isEqualTo(1_000_000);
        assertThat(profiles.get(ProfileKind.WALL).period()).isEqualTo(10_000_000);
        assertThat(profiles.get(ProfileKind.ALLOC).period()).isEqualTo(128 * 1024);
        assertThat(cpu.samples()).allSatisfy(s -> assertThat(s.value(1)).isEqualTo(s.value(0) * 1_000_000));
        // identical stacks and labels are one sample
        assertThat(cpu.samples()).doesNotHaveDuplicates();
        assertThat(cpu.samples().stream()
                        .map(s -> List.of(s.stack(), s.labels()))
                        .distinct())
                .hasSameSizeAs(cpu.samples());

        assertThat(topFlat(cpu)).isEqualTo(HASH_LOOP);
        assertThat(labels(cpu, Sample.THREAD_LABEL))
                .containsAll(PARSERS)
                .contains("C2 CompilerThre"); // the JVM's threads are kept
        Profile parsers = only(cpu, s -> PARSERS.contains(s.label(Sample.THREAD_LABEL)));
        assertThat(share(parsers, HASH_LOOP)).isGreaterThan(0.5);
        assertThat(cpu.samples())
                .anyMatch(s -> s.stack().get(0).function().equals(HASH_LOOP)
                        && s.stack().get(0).file().equals("dev/jprof/testing/Recordings.java")
                        && s.stack().get(0).line() > 0);

        Profile alloc = profiles.get(ProfileKind.ALLOC);
        Map<String, Long> bytesByClass = byLabel(alloc, "class");
        assertThat(top(bytesByClass)).isEqualTo("byte[]");
        assertThat(bytesByClass).containsKeys("java.lang.Long", "java.lang.Object[]");
        assertThat(alloc.samples())
                .filteredOn(s -> "byte[]".equals(s.label("class")))
                .anyMatch(s -> s.stack().stream()
                        .anyMatch(f -> f.function().equals("dev.jprof.testing.Recordings.fillBuffers")));
        assertThat(alloc.samples())
                .allSatisfy(s -> assertThat(s.label(Sample.THREAD_LABEL)).isIn(PARSERS));

        Profile lock = profiles.get(ProfileKind.LOCK);
        Map<String, Long> delayByLock = byLabel(lock, "lock");
        assertThat(top(delayByLock)).isEqualTo(SHARED);
        // each wait is shorter than the other thread's hold (1 ms of CPU, longer when descheduled): no wait of seconds
        assertThat(lock.samples())
                .filteredOn(s -> SHARED.equals(s.label("lock")))
                .allSatisfy(s -> {
                    assertThat(s.value(0)).isEqualTo(1);
                    assertThat(s.value(1)).isBetween(1_000L, 500_000_000L);
                    assertThat(s.stack()).anyMatch(f -> f.function().equals("dev.jprof.testing.Recordings.contend"));
                });
        assertThat(delayByLock.get(SHARED)).isGreaterThan(1_000_000L);
    }

    @Test
    void readsTheJdksOwnRecording() throws IOException {
        Map<ProfileKind, Profile> profiles = Jfr.read(jdkRecording);

        assertThat(profiles).containsKeys(ProfileKind.CPU, ProfileKind.WALL, ProfileKind.ALLOC, ProfileKind.LOCK);
        profiles.values().forEach(p -> assertThat(p.comments()).containsExactly("engine=jfr"));

        Profile cpu = profiles.get(ProfileKind.CPU);
        // the profile settings sample every 10 ms (20 ms in the default ones): the period comes from the recording
        assertThat(cpu.period()).isBetween(10_000_000L, 20_000_000L);
        assertThat(cpu.samples()).allSatisfy(s -> assertThat(s.value(1)).isEqualTo(s.value(0) * cpu.period()));
        assertThat(labels(cpu, Sample.THREAD_LABEL)).containsAll(PARSERS);
        assertThat(topFlat(only(cpu, s -> PARSERS.contains(s.label(Sample.THREAD_LABEL)))))
                .isEqualTo(HASH_LOOP);

        // the JVM's own threads allocate too (class loading, the JIT): the workload's threads allocate byte[] most
        Profile alloc = profiles.get(ProfileKind.ALLOC);
        assertThat(top(byLabel(only(alloc, s -> PARSERS.contains(s.label(Sample.THREAD_LABEL))), "class")))
                .isEqualTo("byte[]");
        assertThat(alloc.samples()).allSatisfy(s -> assertThat(s.value(1)).isPositive());

        Profile lock = profiles.get(ProfileKind.LOCK);
        assertThat(lock.samples())
                .filteredOn(s -> SHARED.equals(s.label("lock")))
                .isNotEmpty()
                .allSatisfy(s -> {
                    // the profile settings' threshold is 10 ms; the holder sleeps 20 ms with the monitor
                    assertThat(s.value(1)).isBetween(10_000_000L, 2_000_000_000L);
                    assertThat(s.label(Sample.THREAD_LABEL)).isIn(PARSERS);
                    assertThat(s.stack()).anyMatch(f -> f.function().equals("dev.jprof.testing.Recordings.contend"));
                });
    }

    @Test
    void commandLineWritesAPprofFileAndAFlameGraphPerKind(@TempDir Path dir) throws IOException {
        Path jfr = Recordings.copy(Recordings.ASYNC_PROFILER_3S, dir);
        Path out = dir.resolve("out");
        Run run = run(jfr.toString(), out.toString());

        assertThat(run.code).as(run.err).isZero();
        for (String kind : List.of("cpu", "wall", "alloc", "lock")) {
            assertThat(out.resolve(kind + ".pb.gz")).isNotEmptyFile();
            assertThat(out.resolve(kind + ".html"))
                    .content(StandardCharsets.UTF_8)
                    .contains("<title>async-profiler-3s.jfr &#x2014; " + kind + "</title>", "jprof-data");
            assertThat(run.out)
                    .contains(
                            out.resolve(kind + ".pb.gz").toString(),
                            out.resolve(kind + ".html").toString());
        }
        assertThat(Pprof.read(out.resolve("cpu.pb.gz"))).isEqualTo(Jfr.read(jfr).get(ProfileKind.CPU));

        GoPprof.Result top = GoPprof.run("-top", out.resolve("cpu.pb.gz").toString());
        assertThat(top.exitCode()).as(top.toString()).isZero();
        assertThat(top.stderrLines())
                .as("go tool pprof has nothing to warn about")
                .isEmpty();
        assertThat(firstRow(top.stdout())).endsWith(HASH_LOOP);
        GoPprof.Result oneThread = GoPprof.run(
                "-top", "-tagfocus=thread=parser-1", out.resolve("cpu.pb.gz").toString());
        assertThat(oneThread.exitCode()).as(oneThread.toString()).isZero();
        assertThat(firstRow(oneThread.stdout())).endsWith(HASH_LOOP);
        GoPprof.Result alloc = GoPprof.run(
                "-top",
                "-sample_index=alloc_space",
                "-tagfocus=class=byte\\[\\]",
                out.resolve("alloc.pb.gz").toString());
        assertThat(alloc.exitCode()).as(alloc.toString()).isZero();
        assertThat(firstRow(alloc.stdout())).endsWith("dev.jprof.testing.Recordings.fillBuffers");
    }

    @Test
    void commandLineExplainsWrongArguments() {
        Run none = run();
        assertThat(none.code).isEqualTo(Jfr.EXIT_USAGE).isEqualTo(2);
        assertThat(none.err)
                .contains(
                        "expected 2 arguments, got 0",
                        "Usage: java -cp jprof-core.jar dev.jprof.format.Jfr <in.jfr> <out-dir>");
        Run help = run("--help");
        assertThat(help.code).isZero();
        assertThat(help.out).contains("Exit codes: 0 written, 1 the recording cannot be read");
    }

    @Test
    void aMissingFileIsNamed(@TempDir Path dir) {
        Path missing = dir.resolve("nope.jfr");
        assertThatThrownBy(() -> Jfr.read(missing))
                .isInstanceOf(IOException.class)
                .hasMessage("Cannot read the JFR recording [" + missing + "]: no such file");
        Run run = run(missing.toString(), dir.resolve("out").toString());
        assertThat(run.code).isEqualTo(Jfr.EXIT_FAILED).isEqualTo(1);
        assertThat(run.err).contains("jprof: Cannot read the JFR recording [" + missing + "]: no such file");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void aFileThatIsNoRecordingIsNamed(@TempDir Path dir) throws IOException {
        Path text = Files.writeString(
                dir.resolve("notes.jfr"), "not a recording, but long enough to hold a chunk header of 68 bytes");
        assertThatThrownBy(() -> Jfr.read(text))
                .isInstanceOf(IOException.class)
                .hasMessage("Cannot read the JFR recording [" + text + "]: Not a valid JFR file");
        Path empty = Files.write(dir.resolve("empty.jfr"), new byte[0]);
        assertThatThrownBy(() -> Jfr.read(empty))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("Cannot read the JFR recording [" + empty + "]: ");
    }

    @Test
    void aTruncatedRecordingIsNamed(@TempDir Path dir) throws IOException {
        for (Path recording : List.of(Recordings.copy(Recordings.ASYNC_PROFILER_3S, dir), jdkRecording)) {
            byte[] bytes = Files.readAllBytes(recording);
            Path cut = Files.write(
                    dir.resolve("cut-" + recording.getFileName()), Arrays.copyOf(bytes, bytes.length * 2 / 3));
            assertThatThrownBy(() -> Jfr.read(cut))
                    .isInstanceOf(IOException.class)
                    .hasMessage("Cannot read the JFR recording [" + cut
                            + "]: it ends inside a JFR chunk (truncated, or still being written)");
            Run run = run(cut.toString(), dir.resolve("out").toString());
            assertThat(run.code).isEqualTo(Jfr.EXIT_FAILED);
            assertThat(run.err).contains("[" + cut + "]: it ends inside a JFR chunk");
        }
    }

    @Test
    void aCorruptRecordingIsNamed(@TempDir Path dir) throws IOException {
        byte[] bytes = Files.readAllBytes(Recordings.copy(Recordings.ASYNC_PROFILER_3S, dir));
        // the events after the first kilobyte become garbage: sizes and types that make no sense
        for (int i = 1024; i < bytes.length - 1024; i++) {
            bytes[i] = (byte) (0x80 | i * 31);
        }
        Path corrupt = Files.write(dir.resolve("corrupt.jfr"), bytes);
        assertThatThrownBy(() -> Jfr.read(corrupt))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("Cannot read the JFR recording [" + corrupt + "]: ");
    }

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Jfr.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The function of the first row of {@code go tool pprof -top}. */
    private static String firstRow(String top) {
        List<String> lines = top.lines().toList();
        for (int i = 0; i < lines.size() - 1; i++) {
            if (lines.get(i).trim().startsWith("flat")) {
                return lines.get(i + 1).trim();
            }
        }
        throw new AssertionError("No table in " + top);
    }

    private static String topFlat(Profile p) {
        Map<String, Long> flat = new HashMap<>();
        p.samples()
                .forEach(s ->
                        flat.merge(s.stack().isEmpty() ? "" : s.stack().get(0).function(), s.value(1), Long::sum));
        return top(flat);
    }

    private static String top(Map<String, Long> values) {
        return values.entrySet().stream()
                .max(Map.Entry.comparingByValue())
                .orElseThrow()
                .getKey();
    }

    private static double share(Profile p, String function) {
        long hit = 0;
        for (Sample s : p.samples()) {
            if (s.stack().stream().anyMatch(f -> f.function().equals(function))) {
                hit += s.value(1);
            }
        }
        return (double) hit / p.total(1);
    }

    private static Profile only(Profile p, java.util.function.Predicate<Sample> keep) {
        Profile.Builder b = Profile.builder(p.sampleTypes());
        p.samples().stream().filter(keep).forEach(s -> b.addSample(s.stack(), s.values(), s.labels()));
        return b.build();
    }

    private static Set<String> labels(Profile p, String key) {
        return byLabel(p, key).keySet();
    }

    private static Map<String, Long> byLabel(Profile p, String key) {
        Map<String, Long> by = new TreeMap<>();
        p.samples().forEach(s -> by.merge(String.valueOf(s.label(key)), s.value(1), Long::sum));
        return by;
    }
}
