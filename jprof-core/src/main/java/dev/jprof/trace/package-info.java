/**
 * Timelines of what threads did (running, blocked, waiting, parked, in I/O), from the JDK's Flight
 * Recorder, like Go's execution tracer: {@link dev.jprof.trace.Tracer} records one.
 */
package dev.jprof.trace;
