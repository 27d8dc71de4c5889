package dev.jprof.junit.internal;

import dev.jprof.internal.Json;
import dev.jprof.internal.JsonStrings;
import java.util.List;
import java.util.Map;

/**
 * The little JSON that summaries need: writing maps, lists, strings, numbers, booleans and nulls,
 * and reading them back (objects as ordered maps, integral numbers as {@code Long}, others as
 * {@code Double}).
 */
final class SummaryJson {

    private SummaryJson() {}

    /** {@code value} as indented JSON. */
    static String write(Object value) {
        StringBuilder b = new StringBuilder();
        write(b, value, 0);
        return b.append('\n').toString();
    }

    private static void write(StringBuilder b, Object v, int indent) {
        if (v == null) {
            b.append("null");
        } else if (v instanceof String str) {
            string(b, str);
        } else if (v instanceof Double d) {
            b.append(Double.isFinite(d) ? String.format(java.util.Locale.ROOT, "%.4f", d).replaceAll("0+$", "").replaceAll("\\.$", ".0") : "null");
        } else if (v instanceof Number || v instanceof Boolean) {
            b.append(v);
        } else if (v instanceof Map<?, ?> map) {
            if (map.isEmpty()) {
                b.append("{}");
                return;
            }
            b.append("{\n");
            int i = 0;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                b.append("  ".repeat(indent + 1));
                string(b, String.valueOf(e.getKey()));
                b.append(": ");
                write(b, e.getValue(), indent + 1);
                b.append(++i < map.size() ? ",\n" : "\n");
            }
            b.append("  ".repeat(indent)).append('}');
        } else if (v instanceof List<?> list) {
            if (list.isEmpty()) {
                b.append("[]");
                return;
            }
            b.append("[\n");
            for (int i = 0; i < list.size(); i++) {
                b.append("  ".repeat(indent + 1));
                write(b, list.get(i), indent + 1);
                b.append(i + 1 < list.size() ? ",\n" : "\n");
            }
            b.append("  ".repeat(indent)).append(']');
        } else {
            string(b, v.toString());
        }
    }

    private static void string(StringBuilder b, String s) {
        JsonStrings.quote(b, s);
    }

    /**
     * Parses one JSON value.
     *
     * @throws IllegalArgumentException naming the position when {@code text} is not JSON
     */
    static Object read(String text) {
        return Json.parse(text);
    }
}
