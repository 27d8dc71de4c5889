package dev.jprof.assertj;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.jprof.alloc.AllocationReport;
import dev.jprof.assertj.internal.AllocationMessages;
import org.apiguardian.api.API;
import org.assertj.core.api.AbstractDoubleAssert;
import org.assertj.core.api.AbstractLongAssert;
import org.assertj.core.api.AbstractObjectAssert;
import org.assertj.core.api.Assertions;
import org.assertj.core.description.TextDescription;

/**
 * Assertions on an {@link AllocationReport}; start with {@link JprofAssertions#assertThat(AllocationReport)}.
 * Every failure names the measured code, the figure and the top allocation sites.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class AllocationReportAssert extends AbstractObjectAssert<AllocationReportAssert, AllocationReport> {

    AllocationReportAssert(AllocationReport actual) {
        super(actual, AllocationReportAssert.class);
    }

    /**
     * The bytes per op, to compare like any double; a failure also lists the sites.
     *
     * <pre>{@code
     * assertThat(report).bytesPerOp().isZero();            // passes for 0 B/op
     * assertThat(report).bytesPerOp().isLessThan(64);      // fails for 80 B/op, listing where the 80 bytes come from
     * }</pre>
     */
    public AbstractDoubleAssert<?> bytesPerOp() {
        isNotNull();
        return Assertions.assertThat(actual.bytesPerOp()).describedAs(new TextDescription("%s", context("bytes/op")));
    }

    /**
     * The objects per op (an exact fraction such as 1.5), to compare like any double.
     *
     * <pre>{@code
     * assertThat(report).objectsPerOp().isLessThanOrEqualTo(2);   // passes for 1.5 objects/op
     * assertThat(report).objectsPerOp().isZero();                 // fails for 1.5 objects/op, listing the sites
     * }</pre>
     *
     * Fails when objects were not counted: not asked for ({@code AllocationOptions.withObjects(true)}), or
     * async-profiler unavailable, while the operation allocates.
     */
    public AbstractDoubleAssert<?> objectsPerOp() {
        isNotNull();
        if (!actual.objectsCounted()) {
            throwAssertionError(AllocationMessages.shouldHaveCountedObjects(actual));
        }
        return Assertions.assertThat(actual.objectsPerOp())
                .describedAs(new TextDescription("%s", context("objects/op")));
    }

    /** The total bytes over all runs. */
    public AbstractLongAssert<?> totalBytes() {
        isNotNull();
        return Assertions.assertThat(actual.totalBytes())
                .describedAs(new TextDescription("%s", context("total bytes")));
    }

    /**
     * Verifies that the operation allocates at most {@code bytesPerOp} bytes per op.
     *
     * <pre>{@code
     * assertThat(report).allocatesAtMost(64);   // passes for 48 B/op; fails for 80 B/op with the sites
     * }</pre>
     */
    public AllocationReportAssert allocatesAtMost(double bytesPerOp) {
        isNotNull();
        if (actual.bytesPerOp() > bytesPerOp) {
            throw failureWithActualExpected(
                    actual.bytesPerOp(),
                    bytesPerOp,
                    "%s",
                    AllocationMessages.shouldAllocateAtMostBytes(actual, bytesPerOp)
                            .create());
        }
        return myself;
    }

    /**
     * Verifies that the operation allocates nothing: 0 B/op.
     *
     * <pre>{@code
     * assertThat(allocations(() -> counter++)).allocatesNothing();      // passes
     * assertThat(allocations(() -> list.add(1_000))).allocatesNothing(); // fails: Integer, Object[] sites
     * }</pre>
     */
    public AllocationReportAssert allocatesNothing() {
        return allocatesAtMost(0);
    }

    /**
     * Verifies that the operation allocates at most {@code objectsPerOp} objects per op; fails when
     * objects were not counted.
     *
     * <pre>{@code
     * assertThat(report).allocatesAtMostObjects(2);   // passes for 1.5 objects/op, fails for 3
     * }</pre>
     */
    public AllocationReportAssert allocatesAtMostObjects(double objectsPerOp) {
        isNotNull();
        if (!actual.objectsCounted()) {
            throwAssertionError(AllocationMessages.shouldHaveCountedObjects(actual));
        }
        if (actual.objectsPerOp() > objectsPerOp) {
            throw failureWithActualExpected(
                    actual.objectsPerOp(),
                    objectsPerOp,
                    "%s",
                    AllocationMessages.shouldAllocateAtMostObjects(actual, objectsPerOp)
                            .create());
        }
        return myself;
    }

    /** Verifies that the bytes are exact (no thread of the operation escaped counting). */
    public AllocationReportAssert isExact() {
        isNotNull();
        if (!actual.exact()) {
            throwAssertionError(AllocationMessages.shouldBeExact(actual));
        }
        return myself;
    }

    private String context(String what) {
        return what + " of " + actual.name() + ", which allocated " + actual.figures()
                + AllocationMessages.details(actual);
    }
}
