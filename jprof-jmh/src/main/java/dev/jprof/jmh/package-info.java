/**
 * JMH integration: a profiler that writes jprof artifacts per benchmark, and a regression gate.
 *
 * <p>Not yet implemented in 0.1.0; the module exists so that the build and the coordinates are in
 * place.
 */
package dev.jprof.jmh;
