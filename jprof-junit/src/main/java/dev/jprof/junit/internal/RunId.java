package dev.jprof.junit.internal;

/**
 * The build a test JVM belongs to: Surefire's forks are child processes of the Maven JVM, so its pid
 * and start time name the run, the same in every fork and different in the next build.
 */
final class RunId {

    private RunId() {}

    static String current() {
        ProcessHandle process = ProcessHandle.current().parent().orElse(ProcessHandle.current());
        return process.pid() + "@" + process.info().startInstant().map(i -> String.valueOf(i.toEpochMilli())).orElse("?");
    }
}
