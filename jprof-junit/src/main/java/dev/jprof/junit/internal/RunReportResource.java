package dev.jprof.junit.internal;

import dev.jprof.format.internal.RunReport;
import dev.jprof.format.internal.SuiteProfileFile;
import java.nio.file.Path;
import java.util.Map;

/**
 * Stored in the root extension store, so JUnit closes it when the run (of this JVM) ends: it then
 * rebuilds the run report and prints one line naming it.
 */
final class RunReportResource implements AutoCloseable {

    private final Path outputDir;
    private final Map<String, SuiteProfileFile> suite;
    private boolean closed;

    RunReportResource(Path outputDir) {
        this(outputDir, Map.of());
    }

    /** With the suite profiles this JVM has just written, by kind id, so that the report need not read them back. */
    RunReportResource(Path outputDir, Map<String, SuiteProfileFile> suite) {
        this.outputDir = outputDir;
        this.suite = suite;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            System.out.println(RunReport.write(outputDir, suite));
        } catch (Exception e) {
            // the report never fails the run: its tests have their results already
            System.err.println("jprof: could not write the run report in [" + outputDir + "]: " + e);
        }
    }
}
