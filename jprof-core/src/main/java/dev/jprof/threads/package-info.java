/**
 * Thread dumps as data: {@link dev.jprof.threads.ThreadDump} takes every thread's state and stack, and
 * writes it as a pprof profile and a text dump.
 */
package dev.jprof.threads;
