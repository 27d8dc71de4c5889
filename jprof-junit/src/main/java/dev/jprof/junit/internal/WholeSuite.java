package dev.jprof.junit.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.jprof.analysis.Profiles;
import dev.jprof.capture.CaptureException;
import dev.jprof.capture.CaptureResult;
import dev.jprof.capture.ProfileOptions;
import dev.jprof.capture.internal.FlightRecording;
import dev.jprof.capture.internal.Recorder;
import dev.jprof.format.FlameGraph;
import dev.jprof.format.Pprof;
import dev.jprof.format.internal.ProfileArtifacts;
import dev.jprof.format.internal.RunReport;
import dev.jprof.format.internal.SuiteProfileFile;
import dev.jprof.profile.Profile;
import dev.jprof.profile.ProfileKind;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apiguardian.api.API;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Profiles every test of a run when {@code jprof.profile} is set, with no annotation and no other
 * setting: the JUnit Platform loads this listener by itself. Each test gets a window from its start
 * to its end ({@code @BeforeEach} and {@code @AfterEach} included; a test that jprof's extension
 * profiles keeps the extension's narrower window), and at the end of the run
 * {@code suite/<kind>.pb.gz} and {@code suite/<kind>.html} hold everything recorded during the run,
 * each sample labelled with its {@code test}; the profiles of several Surefire forks of one build are
 * merged into them.
 *
 * <p>It also runs the flight recorder ({@code jprof.flight=on}, see {@link FlightRecorder}): a test
 * that fails gets the last seconds of the run in its folder.
 */
@API(status = INTERNAL, since = "0.1")
public final class WholeSuite implements TestExecutionListener {

    /** The folder of the suite profiles, under the output directory. */
    static final String SUITE = "suite";

    /** Tests whose capture jprof's extension made: their window here is dropped. */
    private static final Set<String> BY_EXTENSION = ConcurrentHashMap.newKeySet();

    private Settings settings;
    private TestPlan plan;
    private Recorder.Suite suite;
    private final Map<String, TestCapture> open = new ConcurrentHashMap<>();
    /** When each open test started ({@link System#nanoTime()}): its own time runs from its start to its end. */
    private final Map<String, Long> started = new ConcurrentHashMap<>();

    private final PendingArtifacts pending = new PendingArtifacts();
    private FlightRecording flight;
    /** Per running test under the flight recorder: its id and the thread that runs it. */
    private final Map<String, Map.Entry<TestId, Thread>> flown = new ConcurrentHashMap<>();

    /** Called by the extension for a test it captures. */
    static void handledByExtension(String uniqueId) {
        BY_EXTENSION.add(uniqueId);
    }

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        settings = Settings.from(testPlan.getConfigurationParameters()::get);
        plan = testPlan;
        flight = settings.enabled()
                ? FlightRecorder.start(testPlan.getConfigurationParameters()).orElse(null)
                : null;
        ThreadLeakExtension.runWarning(testPlan.getConfigurationParameters()::get)
                .ifPresent(w -> System.getLogger("dev.jprof").log(System.Logger.Level.WARNING, "jprof: " + w));
        if (!settings.wholeSuite()) {
            return;
        }
        if (!settings.suiteKinds().isEmpty()) {
            suite = Recorder.get().suite(settings.defaults().withKinds(settings.suiteKinds()));
        }
    }

    @Override
    public void executionStarted(TestIdentifier id) {
        long start = System.nanoTime();
        if (settings == null || (!settings.wholeSuite() && flight == null) || !id.isTest()) {
            return;
        }
        Optional<TestId> found = testId(id);
        if (found.isEmpty()) {
            return;
        }
        TestId test = found.get();
        if (flight != null) {
            flown.put(id.getUniqueId(), Map.entry(test, Thread.currentThread()));
            try {
                FlightRecorder.clear(test.dir());
            } catch (IOException e) {
                pending.add(test.label(), test.dir(), java.util.concurrent.CompletableFuture.failedFuture(e));
            }
        }
        if (!settings.wholeSuite()) {
            return;
        }
        started.put(id.getUniqueId(), start);
        try {
            ProfileOptions options = settings.defaults()
                    .withKinds(settings.suiteKinds())
                    .withRootFunctions(List.of(test.rootFunction()));
            open.put(
                    id.getUniqueId(),
                    TestCapture.open(
                            settings,
                            test,
                            options,
                            settings.suiteTrace(),
                            settings.suiteTraces(),
                            settings.suiteBlock(),
                            settings.suiteIo()));
        } catch (CaptureException e) {
            pending.add(test.label(), test.dir(), java.util.concurrent.CompletableFuture.failedFuture(e));
        }
    }

    /** The test's id and folder, for a test that is a Java method. */
    private Optional<TestId> testId(TestIdentifier id) {
        Optional<MethodSource> source =
                id.getSource().filter(MethodSource.class::isInstance).map(MethodSource.class::cast);
        if (source.isEmpty()) {
            return Optional.empty();
        }
        Method method;
        try {
            method = source.get().getJavaMethod();
        } catch (RuntimeException e) {
            return Optional.empty(); // not a Java method (another engine's test)
        }
        Class<?> testClass = source.get().getJavaClass();
        return Optional.of(new TestId(
                testClass,
                method,
                id.getUniqueId(),
                describe(id),
                settings.outputDir()
                        .resolve(TestFolders.of(testClass, method, id.getUniqueId(), id.getDisplayName()))));
    }

    /** Display names from the test method down to this invocation, as the extension names them. */
    private String describe(TestIdentifier id) {
        List<String> names = new ArrayList<>();
        for (Optional<TestIdentifier> c = Optional.of(id);
                c.isPresent()
                        && c.get()
                                .getSource()
                                .filter(MethodSource.class::isInstance)
                                .isPresent();
                c = plan.getParent(c.get())) {
            names.add(0, c.get().getDisplayName());
        }
        return TestId.display(names);
    }

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        long end = System.nanoTime();
        Long start = started.remove(id.getUniqueId());
        Map.Entry<TestId, Thread> flownTest = flown.remove(id.getUniqueId());
        if (flownTest != null && result.getStatus() == TestExecutionResult.Status.FAILED) {
            FlightRecorder.write(
                    flight, flownTest.getKey().dir(), flownTest.getKey().label(), flownTest.getValue());
        }
        TestCapture capture = open.remove(id.getUniqueId());
        if (capture == null) {
            return;
        }
        if (BY_EXTENSION.remove(id.getUniqueId())) {
            capture.abandon();
            return;
        }
        capture.close();
        pending.add(
                id.getUniqueId(),
                null,
                capture.write(result.getThrowable().orElse(null), null, start == null ? -1 : end - start));
    }

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        if (flight != null) {
            flight.close();
            flight = null;
            if (!settings.wholeSuite()) { // else closed below
                try {
                    pending.close();
                } catch (CaptureException e) {
                    System.err.println("jprof: " + e.getMessage());
                }
            }
        }
        if (settings == null || !settings.wholeSuite()) {
            return;
        }
        open.values().forEach(TestCapture::abandon);
        open.clear();
        try {
            pending.close();
        } catch (CaptureException e) {
            System.err.println("jprof: " + e.getMessage());
        }
        Map<String, SuiteProfileFile> written = Map.of();
        if (suite != null) {
            try {
                written = writeSuite(settings.outputDir().resolve(SUITE), suite.finish());
            } catch (IOException | RuntimeException e) {
                System.err.println("jprof: could not write the suite profiles in ["
                        + settings.outputDir().resolve(SUITE) + "]: " + e);
            }
            suite = null;
        }
        new RunReportResource(settings.outputDir(), written).close();
    }

    /**
     * Writes the suite profiles, merged with those other forks of the same build wrote.
     *
     * @return what was written, by kind id
     */
    @SuppressWarnings("try") // the file lock is held for the block, never read
    static Map<String, SuiteProfileFile> writeSuite(Path dir, CaptureResult result) throws IOException {
        Files.createDirectories(dir);
        String run = "run=" + RunReport.currentRun();
        Map<String, SuiteProfileFile> written = new LinkedHashMap<>();
        try (FileChannel lockFile =
                        FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock ignored = lockFile.lock()) {
            for (Map.Entry<ProfileKind, Profile> e : result.profiles().entrySet()) {
                Path pprof = dir.resolve(ProfileArtifacts.pprofFileName(e.getKey()));
                Profile profile = e.getValue().toBuilder().comment(run).build();
                // an earlier run's file, as its note says, is replaced unread; only one this run's forks wrote is
                // merged
                boolean otherRun =
                        SuiteProfileFile.run(pprof).filter(r -> !r.equals(run)).isPresent();
                if (!otherRun && Files.exists(pprof)) {
                    try {
                        Profile earlier = Pprof.read(pprof);
                        if (earlier.comments().contains(run)) {
                            profile = Profiles.merge(earlier, e.getValue());
                        }
                    } catch (IOException | RuntimeException unreadable) {
                        // an earlier run's or a broken file: replaced
                    }
                }
                written.put(e.getKey().id(), SuiteProfileFile.write(pprof, profile, run));
                FlameGraph.write(
                        profile,
                        dir.resolve(ProfileArtifacts.flameGraphFileName(e.getKey())),
                        "the whole suite — " + e.getKey().id());
            }
        }
        return written;
    }
}
