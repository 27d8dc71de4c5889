package dev.jprof.maven;

import dev.jprof.maven.internal.Reports;
import java.io.IOException;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Joins run reports written on different machines (CI shards) into one:
 * {@code mvn jprof:merge -Djprof.inputs=shard1/target/jprof,shard2/target/jprof}. The result is the
 * same as {@code report-aggregate}'s, with one "module" per input. A test that two inputs hold (the same
 * test run on two shards) is shown once per input, marked with how many times it ran. Inputs may be
 * module reports ({@code target/jprof}) or joined reports themselves. The same goal runs without Maven:
 * {@code java -jar jprof-maven-plugin-<version>-cli.jar merge -Djprof.inputs=…}.
 */
@Mojo(name = "merge", aggregator = true, requiresProject = false, threadSafe = true)
public class MergeMojo extends JprofMojo {

    /**
     * The report folders to join, comma-separated, relative to the current project (or directory). Each
     * is shown under its path without a trailing {@code target/jprof} ({@code shard1/target/jprof} is
     * {@code shard1}); {@code name=folder} names one explicitly.
     */
    @Parameter(property = "jprof.inputs", required = true)
    private String inputs;

    @Override
    String goal() {
        return "merge";
    }

    @Override
    void run() throws MojoExecutionException {
        try {
            getLog().info(Reports.merge(Reports.inputs(inputs, basedir.toPath()), aggregateDir.toPath()));
        } catch (IOException | RuntimeException e) {
            throw new MojoExecutionException(
                    "jprof: cannot merge jprof.inputs [" + inputs + "] into [" + aggregateDir + "]: " + e.getMessage(),
                    e);
        }
    }
}
