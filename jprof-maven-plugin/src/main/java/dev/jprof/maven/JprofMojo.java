package dev.jprof.maven;

import dev.jprof.maven.internal.Reports;
import java.io.File;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;

/** What jprof's goals share: {@code jprof.skip}, the joined report's folder and the project's folder. */
abstract class JprofMojo extends AbstractMojo {

    /**
     * The joined report's folder: where {@code report-aggregate} and {@code merge} write it, and where
     * {@code compare} looks for the report to compare first.
     */
    @Parameter(property = "jprof.aggregate.dir", defaultValue = "${project.build.directory}/" + Reports.AGGREGATE)
    File aggregateDir;

    /** The folder relative paths ({@code jprof.inputs}, {@code jprof.output.dir}) are resolved against. */
    @Parameter(defaultValue = "${project.basedir}", readonly = true)
    File basedir;

    /** Skips the goal. */
    @Parameter(property = "jprof.skip", defaultValue = "false")
    boolean skip;

    @Override
    public final void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("jprof: " + goal() + " skipped (jprof.skip)");
            return;
        }
        run();
    }

    /** The goal's name, as {@code @Mojo} gives it. */
    abstract String goal();

    /** The goal, when not skipped. */
    abstract void run() throws MojoExecutionException, MojoFailureException;
}
