package dev.jprof.examples.regression;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.Map;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * A build of its own: runs {@link RegressedRouting} (or the test class named by the system property
 * {@value #CLASS}) with the baseline file {@code args[0]} and configuration {@code key=value} pairs
 * after it, prints each failure's message as Surefire would, and exits with 1 when a test failed, as
 * {@code mvn verify} does.
 */
public final class RunBuild {

    /** The system property naming another test class to run. */
    public static final String CLASS = "examples.run.class";

    private RunBuild() {}

    public static void main(String[] args) {
        LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(System.getProperty(CLASS, RegressedRouting.class.getName())))
                .configurationParameter("jprof.baseline.file", args[0]);
        for (int i = 1; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            request.configurationParameters(Map.of(kv[0], kv[1]));
        }
        LauncherDiscoveryRequest built = request.build();
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        launcher.execute(built, summary);
        TestExecutionSummary s = summary.getSummary();
        for (TestExecutionSummary.Failure f : s.getFailures()) {
            System.out.println("[ERROR] " + f.getTestIdentifier().getDisplayName() + " "
                    + f.getException().getMessage());
        }
        System.out.println("Tests run: " + s.getTestsStartedCount() + ", Failures: " + s.getTotalFailureCount());
        System.exit(s.getTotalFailureCount() == 0 ? 0 : 1);
    }
}
