package dev.jprof.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import org.apiguardian.api.API;

/** How jprof prints figures: per-op values, percentages and values with a unit, the same in every message and report. */
@API(status = INTERNAL, since = "0.1")
public final class Figures {

    private Figures() {}

    /** {@code total / ops} in the shortest exact form, or rounded to three decimals: {@code 48}, {@code 1.5}, {@code 0.333}. */
    public static String perOp(long total, long ops) {
        BigDecimal exact = BigDecimal.valueOf(total);
        BigDecimal div = BigDecimal.valueOf(ops);
        BigDecimal q;
        try {
            q = exact.divide(div);
        } catch (ArithmeticException nonTerminating) {
            q = exact.divide(div, 3, RoundingMode.HALF_EVEN);
        }
        if (q.scale() > 3) {
            q = q.setScale(3, RoundingMode.HALF_EVEN);
        }
        q = q.stripTrailingZeros();
        return q.scale() < 0 ? q.setScale(0).toPlainString() : q.toPlainString();
    }

    /** A double per-op figure as {@link #perOp(long, long)} prints it. */
    public static String perOp(double perOp) {
        if (perOp == Math.rint(perOp) && Math.abs(perOp) < 1e15) {
            return Long.toString((long) perOp);
        }
        BigDecimal q =
                BigDecimal.valueOf(perOp).setScale(3, RoundingMode.HALF_EVEN).stripTrailingZeros();
        return q.toPlainString();
    }

    /** {@code 12.34%}. */
    public static String percent(double percent) {
        return String.format(Locale.ROOT, "%.2f%%", percent);
    }

    /** A value with a readable unit: {@code 1.25s}, {@code 40ms}, {@code 3.5MiB}, {@code 120}. */
    public static String value(long value, String unit) {
        if (value == 0) {
            return "0";
        }
        if (unit.equals("nanoseconds")) {
            long a = Math.abs(value);
            if (a >= 1_000_000_000L) {
                return trim(value / 1e9) + "s";
            } else if (a >= 1_000_000L) {
                return trim(value / 1e6) + "ms";
            } else if (a >= 1_000L) {
                return trim(value / 1e3) + "us";
            }
            return value + "ns";
        }
        if (unit.equals("bytes")) {
            long a = Math.abs(value);
            if (a >= 1L << 30) {
                return trim(value / (double) (1L << 30)) + "GiB";
            } else if (a >= 1L << 20) {
                return trim(value / (double) (1L << 20)) + "MiB";
            } else if (a >= 1L << 10) {
                return trim(value / 1024.0) + "KiB";
            }
            return value + "B";
        }
        return Long.toString(value);
    }

    private static String trim(double v) {
        String s = String.format(Locale.ROOT, "%.2f", v);
        if (s.contains(".")) {
            s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return s;
    }
}
