package dev.jprof.junit.internal;

import dev.jprof.internal.JsonStrings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The little JSON that summaries need: writing maps, lists, strings, numbers, booleans and nulls,
 * and reading them back (objects as ordered maps, integral numbers as {@code Long}, others as
 * {@code Double}).
 */
final class SummaryJson {

    private final String s;
    private int at;

    private SummaryJson(String s) {
        this.s = s;
    }

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
        SummaryJson p = new SummaryJson(text);
        Object v = p.value();
        p.space();
        if (p.at != text.length()) {
            throw p.error("trailing characters");
        }
        return v;
    }

    private Object value() {
        space();
        if (at >= s.length()) {
            throw error("unexpected end");
        }
        char c = s.charAt(at);
        if (c == '{') {
            Map<String, Object> map = new LinkedHashMap<>();
            at++;
            space();
            if (peek('}')) {
                at++;
                return map;
            }
            do {
                space();
                if (!peek('"')) {
                    throw error("expected a key");
                }
                String key = str();
                space();
                expect(':');
                map.put(key, value());
                space();
            } while (consume(','));
            expect('}');
            return map;
        }
        if (c == '[') {
            List<Object> list = new ArrayList<>();
            at++;
            space();
            if (peek(']')) {
                at++;
                return list;
            }
            do {
                list.add(value());
                space();
            } while (consume(','));
            expect(']');
            return list;
        }
        if (c == '"') {
            return str();
        }
        if (s.startsWith("true", at)) {
            at += 4;
            return Boolean.TRUE;
        }
        if (s.startsWith("false", at)) {
            at += 5;
            return Boolean.FALSE;
        }
        if (s.startsWith("null", at)) {
            at += 4;
            return null;
        }
        int start = at;
        while (at < s.length() && "+-0123456789.eE".indexOf(s.charAt(at)) >= 0) {
            at++;
        }
        String n = s.substring(start, at);
        try {
            return n.matches("-?\\d+") ? (Object) Long.parseLong(n) : (Object) Double.parseDouble(n);
        } catch (NumberFormatException e) {
            throw error("bad value");
        }
    }

    private String str() {
        at++;
        StringBuilder b = new StringBuilder();
        while (at < s.length()) {
            char c = s.charAt(at++);
            if (c == '"') {
                return b.toString();
            }
            if (c != '\\') {
                b.append(c);
                continue;
            }
            if (at >= s.length()) {
                break;
            }
            char e = s.charAt(at++);
            switch (e) {
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'u' -> {
                    if (at + 4 > s.length()) {
                        throw error("bad escape");
                    }
                    b.append((char) Integer.parseInt(s.substring(at, at + 4), 16));
                    at += 4;
                }
                default -> b.append(e);
            }
        }
        throw error("unterminated string");
    }

    private void space() {
        while (at < s.length() && Character.isWhitespace(s.charAt(at))) {
            at++;
        }
    }

    private boolean peek(char c) {
        return at < s.length() && s.charAt(at) == c;
    }

    private boolean consume(char c) {
        if (peek(c)) {
            at++;
            return true;
        }
        return false;
    }

    private void expect(char c) {
        if (!consume(c)) {
            throw error("expected '" + c + "'");
        }
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException("Bad JSON at " + at + ": " + what);
    }
}
