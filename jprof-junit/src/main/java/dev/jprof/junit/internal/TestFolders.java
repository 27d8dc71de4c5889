package dev.jprof.junit.internal;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Folder names for a test's artifacts: {@code <test class>/<test method>/} and, for each invocation
 * of a parameterized, repeated or dynamic test, {@code <test method>/[<index>] <display name>/} (the
 * index is not repeated when the display name starts with it, as parameterized tests' do).
 *
 * <p>Every name is safe on every common file system: none of {@code / \ : * ? " < > |} or control
 * characters, no trailing dot or space, no Windows device name, at most {@value #MAX_BYTES} bytes of
 * UTF-8. A name shortened to fit ends with {@code ~} and a hash of the whole name, so two long
 * names stay distinct; the invocation index keeps equal display names apart.
 */
final class TestFolders {

    static final int MAX_BYTES = 120;

    private static final Set<String> WINDOWS_DEVICES = Set.of("CON", "PRN", "AUX", "NUL",
            "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
            "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9");

    /** One {@code [type:value]} segment of a unique id; JUnit percent-encodes reserved characters in values. */
    private static final Pattern SEGMENT = Pattern.compile("\\[([^:\\]]+):([^\\]]*)\\]");

    private TestFolders() {}

    /**
     * The folder of a test below the output directory.
     *
     * @param testClass the class declaring the test method
     * @param method the test method (for dynamic tests, the {@code @TestFactory} method)
     * @param uniqueId the JUnit unique id of the running test
     * @param displayName the display name of the running test
     */
    static Path of(Class<?> testClass, Method method, String uniqueId, String displayName) {
        List<String> parts = new ArrayList<>();
        parts.add(safe(testClass.getName()));
        parts.add(safe(method.getName() + Arrays.stream(method.getParameterTypes())
                .map(Class::getSimpleName).collect(Collectors.joining(", ", "(", ")"))));
        String invocation = invocationIndex(uniqueId);
        if (!invocation.isEmpty()) {
            String prefix = "[" + invocation + "]";
            parts.add(safe(displayName.startsWith(prefix) ? displayName : prefix + " " + displayName));
        }
        return Path.of(parts.get(0), parts.subList(1, parts.size()).toArray(String[]::new));
    }

    /**
     * {@code 3} for the third invocation of a template, {@code 1.2} for the second dynamic test in the
     * first dynamic container; empty for a plain test method.
     */
    static String invocationIndex(String uniqueId) {
        List<String> indices = new ArrayList<>();
        Matcher m = SEGMENT.matcher(uniqueId);
        while (m.find()) {
            String type = m.group(1);
            String value = m.group(2);
            if (type.equals("test-template-invocation") || type.startsWith("dynamic-")) {
                indices.add(value.startsWith("#") ? value.substring(1) : value);
            }
        }
        return String.join(".", indices);
    }

    /** {@code name} made safe as one path segment on every common file system. */
    static String safe(String name) {
        StringBuilder b = new StringBuilder(name.length());
        name.codePoints().forEach(c -> {
            if (c < 0x20 || c == 0x7f || "/\\:*?\"<>|".indexOf(c) >= 0) {
                b.append('_');
            } else if (Character.isWhitespace(c)) {
                b.append(' ');
            } else {
                b.appendCodePoint(c);
            }
        });
        String s = b.toString().replaceAll(" {2,}", " ").strip();
        if (s.isEmpty() || s.equals(".") || s.equals("..")) {
            s = "_" + s;
        }
        String base = s.contains(".") ? s.substring(0, s.indexOf('.')) : s;
        if (WINDOWS_DEVICES.contains(base.toUpperCase(Locale.ROOT))) {
            s = "_" + s;
        }
        if (s.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            String hash = String.format("~%08x", name.hashCode());
            s = truncateUtf8(s, MAX_BYTES - hash.length()) + hash;
        }
        while (s.endsWith(".") || s.endsWith(" ")) {
            s = s.substring(0, s.length() - 1) + "_";
        }
        return s;
    }

    private static String truncateUtf8(String s, int maxBytes) {
        int bytes = 0;
        int end = 0;
        while (end < s.length()) {
            int c = s.codePointAt(end);
            int n = new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + n > maxBytes) {
                break;
            }
            bytes += n;
            end += Character.charCount(c);
        }
        return s.substring(0, end).stripTrailing();
    }
}
