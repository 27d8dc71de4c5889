/**
 * Questions asked of a {@link dev.jprof.profile.Profile}: hot functions (flat and cumulative, as
 * {@code go tool pprof -top} computes them), shares per thread, merges and differences between profiles.
 */
package dev.jprof.analysis;
