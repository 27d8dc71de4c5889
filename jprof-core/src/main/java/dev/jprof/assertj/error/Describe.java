package dev.jprof.assertj.error;

import dev.jprof.internal.Figures;
import dev.jprof.trace.Slice;
import java.util.Locale;

/**
 * The arguments of jprof's message factories that AssertJ's {@code StandardRepresentation} would show
 * in a Java-literal form: a percentage, a duration in milliseconds, a {@code long} count ({@code 42L}),
 * a slice with its stack, prose that is part of the sentence. Each is a value whose {@code toString} is
 * how jprof prints it, so the factories still pass one argument per placeholder and never splice a
 * figure into the format.
 */
final class Describe {

    private Describe() {}

    /** {@code 12.34%}. */
    static Object percent(double percent) {
        return new Shown(Figures.percent(percent));
    }

    /** {@code 201.3 ms}. */
    static Object millis(long nanos) {
        return new Shown(String.format(Locale.ROOT, "%.1f ms", nanos / 1e6));
    }

    /** {@code 5.00}. */
    static Object points(double points) {
        return new Shown(String.format(Locale.ROOT, "%.2f", points));
    }

    /** {@code 42}, where AssertJ would show a {@code long} as {@code 42L}. */
    static Object count(long n) {
        return new Shown(Long.toString(n));
    }

    /** Prose that is part of the sentence (a metric, a claim, a table), shown as it is, unquoted. */
    static Object text(String text) {
        return new Shown(text);
    }

    /** {@code blocked 201.3 ms on com.acme.Cache in "worker" #23 at 12.0 ms}, then the stack, indented. */
    static Object slice(Slice s) {
        return new Shown(s.describe().replace("\n", System.lineSeparator() + "  "));
    }

    /** A value shown by its text. */
    private static final class Shown {

        private final String text;

        Shown(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
