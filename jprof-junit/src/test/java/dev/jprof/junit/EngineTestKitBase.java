package dev.jprof.junit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * The base of the extension tests: runs fixture test classes through JUnit's {@code EngineTestKit},
 * with jprof writing into the test's own folder {@link #out}. The one place a fixture is run; a test
 * that needs another folder (two runs to compare) uses {@link #run(Path, Class, Map)}.
 */
public abstract class EngineTestKitBase {

    /** Where jprof writes: {@code jprof.output.dir} of every {@link #run(Class, Map)}. */
    @TempDir
    protected Path out;

    /** Runs {@code fixture} with the {@link #defaults()} configuration. */
    protected EngineExecutionResults run(Class<?> fixture) {
        return run(fixture, Map.of());
    }

    /** Runs {@code fixture} with the configuration parameters {@code config} over the {@link #defaults()}. */
    protected EngineExecutionResults run(Class<?> fixture, Map<String, String> config) {
        Map<String, String> all = new HashMap<>(defaults());
        all.putAll(config);
        return run(out, fixture, all);
    }

    /** What the failed tests of {@code results} threw, in the order they failed. */
    protected static List<Throwable> failures(EngineExecutionResults results) {
        return results.testEvents().failed().stream()
                .map(e -> e.getPayload(TestExecutionResult.class)
                        .orElseThrow()
                        .getThrowable()
                        .orElseThrow())
                .toList();
    }

    /** JUnit's parallel execution: every test concurrent, on {@code threads} threads. */
    protected static Map<String, String> parallel(int threads) {
        return Map.of(
                "junit.jupiter.execution.parallel.enabled", "true",
                "junit.jupiter.execution.parallel.mode.default", "concurrent",
                "junit.jupiter.execution.parallel.config.strategy", "fixed",
                "junit.jupiter.execution.parallel.config.fixed.parallelism", Integer.toString(threads));
    }

    /** The configuration every run of this test class has unless a run sets it; none by default. */
    protected Map<String, String> defaults() {
        return Map.of();
    }

    /** Runs {@code fixture} as {@link #run(Class)} does and returns what it printed to {@code System.out}. */
    protected String console(Class<?> fixture) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            run(fixture);
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    /** The folder of a fixture's test method under {@link #out}: {@code method} as {@code "name(Types)"}. */
    protected Path folder(Class<?> fixture, String method) {
        return folder(out, fixture, method);
    }

    /** Runs {@code fixture} with jprof's output in {@code out} and the configuration parameters {@code config}. */
    public static EngineExecutionResults run(Path out, Class<?> fixture, Map<String, String> config) {
        return EngineTestKit.engine("junit-jupiter")
                .configurationParameter("jprof.output.dir", out.toString())
                .configurationParameters(config)
                .selectors(selectClass(fixture))
                .execute();
    }

    /** The folder of a fixture's test method under {@code out}. */
    public static Path folder(Path out, Class<?> fixture, String method) {
        return out.resolve(fixture.getName()).resolve(method);
    }
}
