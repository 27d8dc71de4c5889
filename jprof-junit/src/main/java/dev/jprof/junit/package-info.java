/**
 * The JUnit 5 face of jprof: annotations that profile a test ({@link dev.jprof.junit.ProfileCpu} and its
 * siblings), limit what it allocates ({@link dev.jprof.junit.AllocationLimit}), assert what is hot
 * ({@link dev.jprof.junit.Hot}, {@link dev.jprof.junit.NotHot}), and the injected
 * {@link dev.jprof.junit.Jprof} handle.
 */
package dev.jprof.junit;
