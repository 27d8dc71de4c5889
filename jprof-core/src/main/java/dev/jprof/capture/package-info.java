/**
 * Capturing profiles without JUnit: {@link dev.jprof.capture.Profiler} profiles a piece of code or a
 * session with async-profiler (or the JDK's Flight Recorder where it cannot load) and returns
 * {@link dev.jprof.profile.Profile}s.
 */
package dev.jprof.capture;
