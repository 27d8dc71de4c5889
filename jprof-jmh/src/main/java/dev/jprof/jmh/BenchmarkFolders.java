package dev.jprof.jmh;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Folders of a benchmark's artifacts, like the JUnit ones: {@code <benchmark>/<params>/} where
 * {@code <params>} is {@code key=value,key=value} in JMH's order, with {@code mode=<mode>} added when the
 * mode is not throughput; a benchmark with neither writes straight into {@code <benchmark>/}. Each
 * segment is safe on every common file system (see {@link #safe(String)}).
 */
final class BenchmarkFolders {

    static final int MAX_BYTES = 120;

    private static final Set<String> WINDOWS_DEVICES = Set.of(
            "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9", "LPT1",
            "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9");

    private BenchmarkFolders() {}

    /**
     * The folder of one benchmark, mode and parameters, relative to the run's output folder.
     *
     * @param benchmark the benchmark method, {@code com.acme.ParserBench.parse}
     * @param mode JMH's short label of the mode: {@code thrpt}, {@code avgt}, {@code sample}, {@code ss}
     * @param params the {@code @Param} values in JMH's order
     */
    public static Path of(String benchmark, String mode, Map<String, String> params) {
        String p = params.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(","));
        if (!mode.equals("thrpt")) {
            p = p.isEmpty() ? "mode=" + mode : p + ",mode=" + mode;
        }
        return p.isEmpty() ? Path.of(safe(benchmark)) : Path.of(safe(benchmark), safe(p));
    }

    /**
     * {@code name} as one path segment: none of {@code / \ : * ? " < > |} or control characters, no
     * trailing dot or space, no Windows device name, at most {@value #MAX_BYTES} bytes of UTF-8 (a
     * shortened name ends with {@code ~} and a hash of the whole name).
     */
    public static String safe(String name) {
        StringBuilder b = new StringBuilder(name.length());
        name.codePoints().forEach(c -> {
            if (c < 0x20 || c == 0x7f || "/\\:*?\"<>|".indexOf(c) >= 0) {
                b.append('_');
            } else {
                b.appendCodePoint(Character.isWhitespace(c) ? ' ' : c);
            }
        });
        String s = b.toString().strip();
        if (s.isEmpty() || s.equals(".") || s.equals("..")) {
            s = "_" + s;
        }
        int dot = s.indexOf('.');
        if (WINDOWS_DEVICES.contains((dot < 0 ? s : s.substring(0, dot)).toUpperCase(Locale.ROOT))) {
            s = "_" + s;
        }
        if (s.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            String hash = String.format(Locale.ROOT, "~%08x", name.hashCode());
            StringBuilder cut = new StringBuilder();
            int bytes = 0;
            for (int i = 0; i < s.length(); ) {
                int c = s.codePointAt(i);
                int n = new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8).length;
                if (bytes + n > MAX_BYTES - hash.length()) {
                    break;
                }
                cut.appendCodePoint(c);
                bytes += n;
                i += Character.charCount(c);
            }
            s = cut.toString().stripTrailing() + hash;
        }
        while (s.endsWith(".") || s.endsWith(" ")) {
            s = s.substring(0, s.length() - 1) + "_";
        }
        return s;
    }
}
