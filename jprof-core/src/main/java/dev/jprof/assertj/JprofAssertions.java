package dev.jprof.assertj;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.jprof.alloc.AllocationReport;
import org.apiguardian.api.API;

/**
 * The entry point of jprof's AssertJ assertions:
 *
 * <pre>{@code
 * import static dev.jprof.assertj.JprofAssertions.assertThat;
 *
 * assertThat(Allocations.measure(10_000, () -> parser.parseInto(buffer, line))).bytesPerOp().isZero();
 * }</pre>
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class JprofAssertions {

    private JprofAssertions() {}

    // --- allocation -------------------------------------------------------------------------------

    /** Assertions on what an operation allocated. */
    public static AllocationReportAssert assertThat(AllocationReport actual) {
        return new AllocationReportAssert(actual);
    }
}
