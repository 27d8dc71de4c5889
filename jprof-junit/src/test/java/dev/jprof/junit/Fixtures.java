package dev.jprof.junit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.nio.file.Path;
import java.util.Map;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/** Runs fixture test classes through JUnit's {@code EngineTestKit}, with jprof writing into a folder of the test's. */
final class Fixtures {

    private Fixtures() {}

    /** Runs {@code fixture} with jprof's output in {@code out} and the configuration parameters {@code config}. */
    static EngineExecutionResults run(Path out, Class<?> fixture, Map<String, String> config) {
        return EngineTestKit.engine("junit-jupiter")
                .configurationParameter("jprof.output.dir", out.toString())
                .configurationParameters(config)
                .selectors(selectClass(fixture))
                .execute();
    }

    /** The folder of a fixture's test method under {@code out}: {@code method} as {@code "name(Types)"}. */
    static Path folder(Path out, Class<?> fixture, String method) {
        return out.resolve(fixture.getName()).resolve(method);
    }
}
