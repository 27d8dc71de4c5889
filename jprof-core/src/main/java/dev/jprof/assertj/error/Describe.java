package dev.jprof.assertj.error;

import dev.jprof.trace.Slice;

/** Slices as failure messages show them. */
final class Describe {

    private Describe() {}

    /** {@code 201.3 ms blocked on com.acme.Cache in "worker" #23 at 12.0 ms}, then the stack, one frame per line. */
    static String slice(Slice s) {
        return s.describe().replace("%", "%%").replace("\n", "%n  ");
    }
}
