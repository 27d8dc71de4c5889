/**
 * Exact allocation as a tested property: {@link dev.jprof.alloc.Allocations} measures the bytes (and, when
 * asked, the objects) an operation allocates per run, like Go's {@code testing.AllocsPerRun}, and finds
 * the sites that allocate them.
 */
package dev.jprof.alloc;
