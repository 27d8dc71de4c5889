package dev.jprof.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apiguardian.api.API;

/**
 * jprof's one JSON reader and writer (RFC 8259), for what jprof reads (JMH results, baselines) and
 * what its tests check. Reading is strict: objects become {@link LinkedHashMap}s, arrays
 * {@link List}s, numbers {@link Long} when integral and within {@code long}'s range, else
 * {@link Double}; anything malformed throws {@link IllegalArgumentException} naming the line and
 * column. Arrays and objects may nest at most {@value #MAX_DEPTH} deep, so that no input can exhaust
 * the stack. Strings are written by {@link JsonStrings}.
 */
@API(status = INTERNAL, since = "0.1")
public final class Json {

    /** The deepest nesting of arrays and objects that {@link #parse} accepts: {@value}. */
    public static final int MAX_DEPTH = 512;

    private final String s;
    private int at;
    private int depth;

    private Json(String s) {
        this.s = s;
    }

    /** Parses one JSON value that must make up all of {@code text}, apart from whitespace. */
    public static Object parse(String text) {
        Json p = new Json(text);
        Object v = p.value();
        p.skipSpace();
        if (p.at != text.length()) {
            throw p.error("trailing characters");
        }
        return v;
    }

    private Object value() {
        skipSpace();
        if (at >= s.length()) {
            throw error("unexpected end");
        }
        char c = s.charAt(at);
        return switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string();
            case 't' -> literal("true", true);
            case 'f' -> literal("false", false);
            case 'n' -> literal("null", null);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield number();
                }
                throw error("unexpected character '" + c + "'");
            }
        };
    }

    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw error("arrays and objects nested more than " + MAX_DEPTH + " deep");
        }
    }

    private Map<String, Object> object() {
        enter();
        Map<String, Object> map = new LinkedHashMap<>();
        at++;
        skipSpace();
        if (peek('}')) {
            at++;
            depth--;
            return map;
        }
        while (true) {
            skipSpace();
            if (!peek('"')) {
                throw error("expected a key");
            }
            String key = string();
            skipSpace();
            expect(':');
            if (map.put(key, value()) != null) {
                throw error("duplicate key " + key);
            }
            skipSpace();
            if (peek(',')) {
                at++;
            } else {
                expect('}');
                depth--;
                return map;
            }
        }
    }

    private List<Object> array() {
        enter();
        List<Object> list = new ArrayList<>();
        at++;
        skipSpace();
        if (peek(']')) {
            at++;
            depth--;
            return list;
        }
        while (true) {
            list.add(value());
            skipSpace();
            if (peek(',')) {
                at++;
            } else {
                expect(']');
                depth--;
                return list;
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
            }
            if (c < 0x20) {
                throw error("control character in string");
            }
            if (c != '\\') {
                b.append(c);
                continue;
            }
            if (at >= s.length()) {
                throw error("unterminated string");
            }
            char e = s.charAt(at++);
            switch (e) {
                case '"' -> b.append('"');
                case '\\' -> b.append('\\');
                case '/' -> b.append('/');
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'u' -> b.append(unicodeEscape());
                default -> throw error("bad escape \\" + e);
            }
        }
    }

    /** The four hex digits after {@code \\u}, nothing else (no sign, no fewer digits). */
    private char unicodeEscape() {
        int code = 0;
        for (int i = 0; i < 4; i++) {
            int digit = at < s.length() ? Character.digit(s.charAt(at), 16) : -1;
            if (digit < 0 || s.charAt(at) > 'f') { // Character.digit also takes non-ASCII digits
                throw error("bad escape: \\u needs four hex digits");
            }
            code = code * 16 + digit;
            at++;
        }
        return (char) code;
    }

    private Object number() {
        int start = at;
        if (peek('-')) {
            at++;
        }
        while (at < s.length() && "0123456789.eE+-".indexOf(s.charAt(at)) >= 0) {
            at++;
        }
        String n = s.substring(start, at);
        if (!n.matches("-?(0|[1-9]\\d*)(\\.\\d+)?([eE][+-]?\\d+)?")) {
            throw error("bad number " + n);
        }
        if (n.matches("-?\\d+")) {
            try {
                return Long.parseLong(n);
            } catch (NumberFormatException e) {
                return Double.parseDouble(n); // beyond long's range
            }
        }
        return Double.parseDouble(n);
    }

    private Object literal(String word, Object value) {
        if (!s.startsWith(word, at)) {
            throw error("expected " + word);
        }
        at += word.length();
        return value;
    }

    private void skipSpace() {
        while (at < s.length() && " \t\r\n".indexOf(s.charAt(at)) >= 0) {
            at++;
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

    private IllegalArgumentException error(String what) {
        int line = 1;
        int column = 1;
        for (int i = 0; i < Math.min(at, s.length()); i++) {
            if (s.charAt(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new IllegalArgumentException("Malformed JSON at line " + line + ", column " + column + ": " + what);
    }

    /**
     * {@code value} as compact JSON: maps (in their order), lists, strings, numbers, booleans and null;
     * a number that is NaN or infinite is written as {@code null}. Integral doubles are written without
     * a fraction.
     *
     * @throws IllegalArgumentException naming the type of a value that is none of these
     */
    public static String write(Object value) {
        return write(value, false);
    }

    /**
     * {@code value} as JSON, as {@link #write(Object)}; {@code indented}, each entry of a non-empty map or
     * list stands on a line of its own, indented by two spaces a level (as files people read are written).
     */
    public static String write(Object value, boolean indented) {
        StringBuilder b = new StringBuilder();
        write(value, b, indented ? 0 : -1);
        return b.toString();
    }

    /** Writes {@code v}; {@code level} is its depth when indented, {@code -1} for compact JSON. */
    private static void write(Object v, StringBuilder b, int level) {
        if (v == null) {
            b.append("null");
        } else if (v instanceof String str) {
            JsonStrings.quote(b, str);
        } else if (v instanceof Boolean) {
            b.append(v);
        } else if (v instanceof Number n) {
            b.append(number(n));
        } else if (v instanceof Map<?, ?> m) {
            b.append('{');
            int i = 0;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                separate(b, i++, level);
                JsonStrings.quote(b, String.valueOf(e.getKey()));
                b.append(": ");
                write(e.getValue(), b, level < 0 ? -1 : level + 1);
            }
            close(b, m.isEmpty(), level);
            b.append('}');
        } else if (v instanceof List<?> l) {
            b.append('[');
            for (int i = 0; i < l.size(); i++) {
                separate(b, i, level);
                write(l.get(i), b, level < 0 ? -1 : level + 1);
            }
            close(b, l.isEmpty(), level);
            b.append(']');
        } else {
            throw new IllegalArgumentException("Cannot write " + v.getClass().getName() + " as JSON");
        }
    }

    /** What stands before entry {@code i} of a map or list at {@code level}. */
    private static void separate(StringBuilder b, int i, int level) {
        if (level < 0) {
            if (i > 0) {
                b.append(", ");
            }
        } else {
            b.append(i > 0 ? ",\n" : "\n").append("  ".repeat(level + 1));
        }
    }

    /** What stands before the closing bracket of a map or list at {@code level}. */
    private static void close(StringBuilder b, boolean empty, int level) {
        if (level >= 0 && !empty) {
            b.append('\n').append("  ".repeat(level));
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
}
