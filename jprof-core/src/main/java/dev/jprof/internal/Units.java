package dev.jprof.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/** Parses and prints durations ({@code 1ms}, {@code 500us}) and sizes ({@code 256k}, {@code 1m}) as options use them. */
@API(status = INTERNAL, since = "0.1")
public final class Units {

    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ns|us|µs|ms|s)?");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([kmg]i?b?|b)?");

    private Units() {}

    /**
     * Parses {@code 10ms}, {@code 250us}, {@code 1s}, {@code 500ns}; a bare number is nanoseconds.
     * A duration must fit in a {@code long} of nanoseconds (about 292 years).
     *
     * @param what names the option in the error, for example {@code "jprof.cpu.interval"}
     * @throws IllegalArgumentException naming {@code what} and the expected form, or saying the value is too large
     */
    public static Duration parseDuration(String text, String what) {
        Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("Invalid duration [" + text + "] for " + what
                    + ": expected a number with ns, us, ms or s, for example 1ms");
        }
        double value = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "ns" : m.group(2);
        double nanos = switch (unit) {
            case "ns" -> value;
            case "us", "µs" -> value * 1e3;
            case "ms" -> value * 1e6;
            default -> value * 1e9;
        };
        if (nanos >= 0x1p63) { // Math.round would quietly give Long.MAX_VALUE
            throw new IllegalArgumentException(
                    "Invalid duration [" + text + "] for " + what + ": out of range, too large");
        }
        return Duration.ofNanos(Math.round(nanos));
    }

    /**
     * Parses {@code 512k}, {@code 1m}, {@code 100}, {@code 64kb}; units are powers of 1024. A size must
     * fit in a {@code long} of bytes.
     *
     * @throws IllegalArgumentException naming {@code what} and the expected form, or saying the value is too large
     */
    public static long parseSize(String text, String what) {
        Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("Invalid size [" + text + "] for " + what
                    + ": expected bytes with an optional k, m or g suffix, for example 256k");
        }
        String unit = m.group(2) == null ? "b" : m.group(2);
        int shift = switch (unit.charAt(0)) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            default -> 0;
        };
        long value;
        try {
            value = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            value = -1; // more digits than a long holds
        }
        if (value < 0 || value > Long.MAX_VALUE >> shift) {
            throw new IllegalArgumentException("Invalid size [" + text + "] for " + what + ": out of range, too large");
        }
        return value << shift;
    }

    /** {@code 1g}, {@code 128k}, {@code 100}: the shortest exact form of {@code bytes} as {@link #parseSize} reads it. */
    public static String formatSize(long bytes) {
        if (bytes != 0 && bytes % (1L << 30) == 0) {
            return (bytes >> 30) + "g";
        } else if (bytes != 0 && bytes % (1L << 20) == 0) {
            return (bytes >> 20) + "m";
        } else if (bytes != 0 && bytes % (1L << 10) == 0) {
            return (bytes >> 10) + "k";
        }
        return Long.toString(bytes);
    }

    /** {@code 1ms}, {@code 250us}, {@code 1.5s}: the shortest exact form of {@code d} in whole ns, us, ms or s. */
    public static String format(Duration d) {
        long ns = d.toNanos();
        if (ns != 0 && ns % 1_000_000_000L == 0) {
            return ns / 1_000_000_000L + "s";
        } else if (ns != 0 && ns % 1_000_000L == 0) {
            return ns / 1_000_000L + "ms";
        } else if (ns != 0 && ns % 1_000L == 0) {
            return ns / 1_000L + "us";
        }
        return ns + "ns";
    }
}
