package dev.jprof.junit.internal;

import dev.jprof.format.internal.RunReport;
import java.nio.file.Path;

/**
 * Stored in the root extension store, so JUnit closes it when the run (of this JVM) ends: it then
 * rebuilds the run report and prints one line naming it.
 */
final class RunReportResource implements AutoCloseable {

    private final Path outputDir;
    private boolean closed;

    RunReportResource(Path outputDir) {
        this.outputDir = outputDir;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            System.out.println(RunReport.write(outputDir));
        } catch (Exception e) {
            // the report never fails the run: its tests have their results already
            System.err.println("jprof: could not write the run report in [" + outputDir + "]: " + e);
        }
    }
}
