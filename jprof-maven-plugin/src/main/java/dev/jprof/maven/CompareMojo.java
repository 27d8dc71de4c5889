package dev.jprof.maven;

import dev.jprof.maven.internal.Comparison;
import dev.jprof.maven.internal.Reports;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Compares this run's report with a base run's (the main branch's {@code target/jprof} or joined report,
 * for example a CI artifact): {@code mvn jprof:compare -Djprof.base=main-report}. Writes a benchstat-style
 * table per test (time, CPU of the test's own threads, exact bytes/op and objects/op, the function whose
 * share grew most) as {@code compare.md}, ready to post as a pull-request comment, and {@code compare.html},
 * into the compared report's folder. Sampled figures regress only when the change is significant and
 * beyond the tolerance, exact allocation when it grew by more than its tolerance: the JMH gate's rules
 * and defaults. With {@code -Djprof.compare.fail=true} a regression fails the build.
 */
@Mojo(name = "compare", aggregator = true, requiresProject = false, threadSafe = true)
public class CompareMojo extends JprofMojo {

    /** The base run's report folder: a module's {@code target/jprof} or a joined report. */
    @Parameter(property = "jprof.base", required = true)
    private File base;

    /**
     * The report to compare; by default the joined report in {@code jprof.aggregate.dir} when there is one,
     * else this project's {@code jprof.output.dir}.
     */
    @Parameter(property = "jprof.current")
    private File current;

    /** This project's jprof output folder (jprof-junit's {@code jprof.output.dir}), relative to the project. */
    @Parameter(property = "jprof.output.dir", defaultValue = "target/jprof")
    private String outputDir;

    /** Fails the build when a test regressed. */
    @Parameter(property = "jprof.compare.fail", defaultValue = "false")
    private boolean fail;

    /** Significance level of a change of a sampled figure (time, CPU), as the JMH gate's {@code --alpha}. */
    @Parameter(property = "jprof.compare.alpha", defaultValue = "0.05")
    private String alpha;

    /** How much worse a significant change of a sampled figure may be: {@code 5%} or {@code 0.05}, as the gate's {@code --tolerance}. */
    @Parameter(property = "jprof.compare.tolerance", defaultValue = "5%")
    private String tolerance;

    /** Exact bytes per operation a test may allocate more than in the base, as the gate's {@code --alloc-tolerance}. */
    @Parameter(property = "jprof.compare.allocTolerance", defaultValue = "1")
    private String allocTolerance;

    /** Exact objects per operation a test may allocate more than in the base, as the gate's {@code --objects-tolerance}. */
    @Parameter(property = "jprof.compare.objectsTolerance", defaultValue = "0.1")
    private String objectsTolerance;

    @Override
    String goal() {
        return "compare";
    }

    @Override
    void run() throws MojoExecutionException, MojoFailureException {
        Path now = current != null
                ? current.toPath()
                : Reports.current(aggregateDir.toPath(), basedir.toPath().resolve(outputDir));
        List<String> regressions;
        try {
            Comparison.Thresholds thresholds = Reports.thresholds(alpha, tolerance, allocTolerance, objectsTolerance);
            regressions = Reports.compare(base.toPath(), now, thresholds, getLog()::info);
        } catch (IOException | RuntimeException e) {
            throw new MojoExecutionException(
                    "jprof: cannot compare [" + now + "] with jprof.base [" + base + "]: " + e.getMessage(), e);
        }
        if (fail && !regressions.isEmpty()) {
            throw new MojoFailureException(
                    "jprof: " + regressions.size() + (regressions.size() == 1 ? " regression" : " regressions")
                            + " against [" + base + "] (jprof.compare.fail=true): " + String.join("; ", regressions)
                            + "; see " + now.resolve("compare.md"));
        }
    }
}
