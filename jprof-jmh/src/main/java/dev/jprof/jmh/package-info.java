/**
 * JMH integration: {@link dev.jprof.jmh.JprofProfiler}, a JMH profiler that writes jprof artifacts per
 * benchmark and reports exact allocation per operation, and {@link dev.jprof.jmh.Gate}, which compares
 * a JMH results file with a committed baseline.
 */
package dev.jprof.jmh;
