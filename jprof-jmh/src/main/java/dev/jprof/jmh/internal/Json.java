package dev.jprof.jmh.internal;

import dev.jprof.internal.JsonStrings;
import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apiguardian.api.API;

/**
 * A strict, minimal JSON reader (RFC 8259) and writer. Objects read as {@link LinkedHashMap}s, arrays as
 * {@link List}s, numbers as {@link Double}s. Malformed input throws {@link IllegalArgumentException}
 * naming the position.
 */
@API(status = INTERNAL, since = "0.1")
public final class Json {

    private final String s;
    private int at;

    private Json(String s) {
        this.s = s;
    }

    /** Parses the one JSON value that {@code text} holds. */
    public static Object parse(String text) {
        Json p = new Json(text);
        p.space();
        Object v = p.value();
        p.space();
        if (p.at != text.length()) {
            throw p.error("unexpected characters after the value");
        }
        return v;
    }

    private Object value() {
        if (at >= s.length()) {
            throw error("unexpected end");
        }
        char c = s.charAt(at);
        switch (c) {
            case '{':
                return object();
            case '[':
                return array();
            case '"':
                return string();
            case 't':
                return literal("true", Boolean.TRUE);
            case 'f':
                return literal("false", Boolean.FALSE);
            case 'n':
                return literal("null", null);
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw error("unexpected character '" + c + "'");
        }
    }

    private Map<String, Object> object() {
        Map<String, Object> m = new LinkedHashMap<>();
        at++;
        space();
        if (peek('}')) {
            at++;
            return m;
        }
        while (true) {
            space();
            if (!peek('"')) {
                throw error("expected a member name");
            }
            String key = string();
            space();
            expect(':');
            space();
            m.put(key, value());
            space();
            if (peek(',')) {
                at++;
            } else {
                expect('}');
                return m;
            }
        }
    }

    private List<Object> array() {
        List<Object> l = new ArrayList<>();
        at++;
        space();
        if (peek(']')) {
            at++;
            return l;
        }
        while (true) {
            space();
            l.add(value());
            space();
            if (peek(',')) {
                at++;
            } else {
                expect(']');
                return l;
            }
        }
    }

    private String string() {
        at++;
        StringBuilder b = new StringBuilder();
        while (true) {
            if (at >= s.length()) {
                throw error("unterminated string");
            }
            char c = s.charAt(at++);
            if (c == '"') {
                return b.toString();
            } else if (c == '\\') {
                if (at >= s.length()) {
                    throw error("unterminated escape");
                }
                char e = s.charAt(at++);
                switch (e) {
                    case '"', '\\', '/' -> b.append(e);
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'n' -> b.append('\n');
                    case 'r' -> b.append('\r');
                    case 't' -> b.append('\t');
                    case 'u' -> {
                        if (at + 4 > s.length()) {
                            throw error("bad \\u escape");
                        }
                        try {
                            b.append((char) Integer.parseInt(s.substring(at, at + 4), 16));
                        } catch (NumberFormatException x) {
                            throw error("bad \\u escape");
                        }
                        at += 4;
                    }
                    default -> throw error("bad escape \\" + e);
                }
            } else if (c < 0x20) {
                throw error("control character in string");
            } else {
                b.append(c);
            }
        }
    }

    private Object literal(String word, Object value) {
        if (!s.startsWith(word, at)) {
            throw error("expected " + word);
        }
        at += word.length();
        return value;
    }

    private Double number() {
        int start = at;
        if (peek('-')) {
            at++;
        }
        digits();
        if (peek('.')) {
            at++;
            digits();
        }
        if (peek('e') || peek('E')) {
            at++;
            if (peek('+') || peek('-')) {
                at++;
            }
            digits();
        }
        return Double.valueOf(s.substring(start, at));
    }

    private void digits() {
        int start = at;
        while (at < s.length() && Character.isDigit(s.charAt(at))) {
            at++;
        }
        if (at == start) {
            throw error("expected a digit");
        }
    }

    private boolean peek(char c) {
        return at < s.length() && s.charAt(at) == c;
    }

    private void expect(char c) {
        if (!peek(c)) {
            throw error("expected '" + c + "'");
        }
        at++;
    }

    private void space() {
        while (at < s.length() && " \t\r\n".indexOf(s.charAt(at)) >= 0) {
            at++;
        }
    }

    private IllegalArgumentException error(String what) {
        int line = 1;
        int col = 1;
        for (int i = 0; i < Math.min(at, s.length()); i++) {
            if (s.charAt(i) == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        return new IllegalArgumentException("Malformed JSON at line " + line + ", column " + col + ": " + what);
    }

    /**
     * {@code value} as compact JSON: maps (in their order), lists, strings, numbers, booleans and null;
     * a number that is NaN or infinite is written as {@code null}. Integral doubles are written without
     * a fraction.
     */
    public static String write(Object value) {
        StringBuilder b = new StringBuilder();
        write(value, b);
        return b.toString();
    }

    private static void write(Object v, StringBuilder b) {
        if (v == null) {
            b.append("null");
        } else if (v instanceof String str) {
            quote(str, b);
        } else if (v instanceof Boolean) {
            b.append(v);
        } else if (v instanceof Number n) {
            b.append(number(n));
        } else if (v instanceof Map<?, ?> m) {
            b.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) {
                    b.append(", ");
                }
                first = false;
                quote(String.valueOf(e.getKey()), b);
                b.append(": ");
                write(e.getValue(), b);
            }
            b.append('}');
        } else if (v instanceof List<?> l) {
            b.append('[');
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) {
                    b.append(", ");
                }
                write(l.get(i), b);
            }
            b.append(']');
        } else {
            throw new IllegalArgumentException("Cannot write " + v.getClass().getName() + " as JSON");
        }
    }

    /** A number as JSON: integral values without a fraction, others in the shortest round-trip form. */
    public static String number(Number n) {
        if (n instanceof Integer || n instanceof Long) {
            return n.toString();
        }
        double d = n.doubleValue();
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return "null";
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        return Double.toString(d).toLowerCase(Locale.ROOT);
    }

    private static void quote(String s, StringBuilder b) {
        JsonStrings.quote(b, s);
    }
}
