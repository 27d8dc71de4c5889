package dev.jprof.analysis;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * What one thread contributes to a profile.
 *
 * @param thread the {@code thread} label of its samples ({@code ""} for samples without one)
 * @param value the total of the chosen sample type over its samples
 * @param percent {@code value} as a percentage of the profile's total
 * @param samples how many sampling events it has (see {@link ProfileAnalysis#samples()})
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record ThreadShare(String thread, long value, double percent, long samples) {}
