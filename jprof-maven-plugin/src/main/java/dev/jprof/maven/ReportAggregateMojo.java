package dev.jprof.maven;

import dev.jprof.junit.internal.JoinedReport;
import dev.jprof.maven.internal.Reports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * Joins the jprof run reports of every module of the build into one report, like JaCoCo's
 * {@code report-aggregate}: {@code target/jprof-aggregate/index.html} lists every module's tests (with a
 * Module column), {@code suite/<kind>.pb.gz} merges the modules' suite profiles (each sample labelled
 * with its {@code module} and {@code test}), and the "Across the suite" table covers all modules. The
 * folder is self-contained (each test's files are copied into it, and every link is relative), so it
 * can be published as a CI artifact on its own.
 *
 * <p>Run it in the aggregator after the tests: {@code mvn verify jprof:report-aggregate}. Modules
 * without a jprof report (no profiled tests) are left out.
 */
@Mojo(name = "report-aggregate", aggregator = true, defaultPhase = LifecyclePhase.VERIFY, threadSafe = true)
public class ReportAggregateMojo extends JprofMojo {

    /** The modules of this build. */
    @Parameter(defaultValue = "${reactorProjects}", readonly = true, required = true)
    private List<MavenProject> reactorProjects;

    /**
     * Where each module's tests wrote their jprof artifacts, relative to the module (jprof-junit's own
     * {@code jprof.output.dir}, so one {@code -D} serves both).
     */
    @Parameter(property = "jprof.output.dir", defaultValue = "target/jprof")
    private String outputDir;

    @Override
    String goal() {
        return "report-aggregate";
    }

    @Override
    void run() throws MojoExecutionException {
        List<JoinedReport.Input> inputs = new ArrayList<>();
        List<String> without = new ArrayList<>();
        for (MavenProject module : reactorProjects) {
            Path dir = module.getBasedir().toPath().resolve(outputDir).normalize();
            if (Files.isRegularFile(dir.resolve("summary.json"))) {
                inputs.add(new JoinedReport.Input(module.getArtifactId(), dir));
            } else if (!"pom".equals(module.getPackaging())) {
                without.add(module.getArtifactId());
            }
        }
        if (!without.isEmpty()) {
            getLog().info("jprof: no run report (" + outputDir + "/summary.json) in " + without + ": left out");
        }
        if (inputs.isEmpty()) {
            getLog().warn("jprof: no module of this build has a jprof run report in " + outputDir
                    + ": nothing to aggregate");
            return;
        }
        try {
            getLog().info(Reports.merge(inputs, aggregateDir.toPath()));
        } catch (IOException | RuntimeException e) {
            throw new MojoExecutionException(
                    "jprof: cannot aggregate the reports of " + inputs + " into [" + aggregateDir + "]: "
                            + e.getMessage(),
                    e);
        }
    }
}
