package dev.jprof.analysis;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * One row of a top table, as {@code go tool pprof -top} prints it.
 *
 * @param rank 1 for the first row of the table it comes from
 * @param function the function name
 * @param flat the value of samples whose leaf (innermost frame) is this function
 * @param flatPercent {@code flat} as a percentage of the profile's total
 * @param cum the value of samples whose stack contains this function (once, even when recursive)
 * @param cumPercent {@code cum} as a percentage of the profile's total
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record HotFunction(int rank, String function, long flat, double flatPercent, long cum, double cumPercent) {}
