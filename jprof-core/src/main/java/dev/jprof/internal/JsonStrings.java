package dev.jprof.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

/**
 * JSON string literals, for every JSON jprof writes (summaries, traces, JMH baselines). Beyond
 * what JSON requires, {@code < > &} and U+2028/U+2029 are escaped too, so the text can also be
 * embedded in an HTML {@code <script>} block.
 */
@API(status = INTERNAL, since = "0.1")
public final class JsonStrings {

    private JsonStrings() {}

    /** Appends {@code s} to {@code b} as a quoted JSON string. */
    public static StringBuilder quote(StringBuilder b, String s) {
        return quote(b, s, false);
    }

    /**
     * Appends {@code s} to {@code b} as a quoted JSON string of plain ASCII: as {@link #quote(StringBuilder,
     * String)}, and every character above {@code ~} escaped too (for pages whose encoding is not known).
     */
    public static StringBuilder quoteAscii(StringBuilder b, String s) {
        return quote(b, s, true);
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private static StringBuilder quote(StringBuilder b, String s, boolean ascii) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20
                            || (ascii && c > 0x7e)
                            || c == '<'
                            || c == '>'
                            || c == '&'
                            || c == 0x2028
                            || c == 0x2029) {
                        b.append("\\u")
                                .append(HEX[c >> 12])
                                .append(HEX[(c >> 8) & 0xf])
                                .append(HEX[(c >> 4) & 0xf])
                                .append(HEX[c & 0xf]);
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"');
    }

    /** {@code s} as a quoted JSON string. */
    public static String quote(String s) {
        return quote(new StringBuilder(s.length() + 2), s).toString();
    }
}
