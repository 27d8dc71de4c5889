/**
 * The profile model: a {@link dev.jprof.profile.Profile} of one {@link dev.jprof.profile.ProfileKind}
 * holds weighted {@link dev.jprof.profile.Sample}s, each a stack of {@link dev.jprof.profile.Frame}s
 * with labels, as pprof's {@code profile.proto} does.
 */
package dev.jprof.profile;
