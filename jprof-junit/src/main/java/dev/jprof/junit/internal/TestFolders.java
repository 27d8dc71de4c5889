package dev.jprof.junit.internal;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Folder names for a test's artifacts: {@code <test class>/<test method>/} and, for each invocation
 * of a parameterized, repeated or dynamic test, {@code <test method>/[<index>] <display name>/} (the
 * index is not repeated when the display name starts with it, as parameterized tests' do).
 *
 * <p>Every name is safe on every common file system: none of {@code / \ : * ? " < > |} or control
 * characters, no trailing dot or space, no Windows device name, at most {@value #MAX_BYTES} bytes of
 * UTF-8. A name shortened to fit ends with {@code ~} and a hash of the whole name, so two long
 * names stay distinct; the invocation index keeps equal display names apart.
 *
 * <p>Names are also safe on file systems that ignore case or Unicode normalization (macOS, Windows):
 * they are written in NFC, without lone surrogates (replaced by {@code _}, as they cannot be encoded)
 * and without bidirectional override and isolate characters (U+202A–U+202E, U+2066–U+2069, which
 * make a name display differently from what it is). Where two methods of a test class would get
 * folders that such a file system takes for the same ({@code Casing()} and {@code casing()}, or a
 * name in NFC and in NFD), each gets {@code ~} and a hash of its own name, the same in every run;
 * all other names are unchanged. Test classes cannot differ only so: their class files would collide.
 */
final class TestFolders {

    static final int MAX_BYTES = 120;

    private static final Set<String> WINDOWS_DEVICES = Set.of(
            "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9", "LPT1",
            "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9");

    /** One {@code [type:value]} segment of a unique id; JUnit percent-encodes reserved characters in values. */
    private static final Pattern SEGMENT = Pattern.compile("\\[([^:\\]]+):([^\\]]*)\\]");

    /** Per test class: the folder names of its methods that collide once case and normalization are ignored. */
    private static final ClassValue<Set<String>> COLLIDING = new ClassValue<>() {
        @Override
        protected Set<String> computeValue(Class<?> type) {
            return colliding(type);
        }
    };

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
        String signature = signature(method);
        String methodFolder = safe(signature);
        if (COLLIDING.get(testClass).contains(methodFolder)
                || COLLIDING.get(method.getDeclaringClass()).contains(methodFolder)) {
            methodFolder = withHash(methodFolder, signature);
        }
        parts.add(methodFolder);
        String invocation = invocationIndex(uniqueId);
        if (!invocation.isEmpty()) {
            String prefix = "[" + invocation + "]";
            parts.add(safe(displayName.startsWith(prefix) ? displayName : prefix + " " + displayName));
        }
        return Path.of(parts.get(0), parts.subList(1, parts.size()).toArray(String[]::new));
    }

    private static String signature(Method method) {
        return method.getName()
                + Arrays.stream(method.getParameterTypes())
                        .map(Class::getSimpleName)
                        .collect(Collectors.joining(", ", "(", ")"));
    }

    /**
     * The folder names ({@link #safe}) of the methods of {@code type} and its supertypes that another
     * method's folder name equals once case and normalization are ignored (or, after NFC, exactly).
     */
    static Set<String> colliding(Class<?> type) {
        Map<String, Set<String>> byKey = new HashMap<>();
        Set<Class<?>> seen = new HashSet<>();
        Deque<Class<?>> todo = new ArrayDeque<>(List.of(type));
        while (!todo.isEmpty()) {
            Class<?> c = todo.pop();
            if (c == null || c == Object.class || !seen.add(c)) {
                continue;
            }
            for (Method m : c.getDeclaredMethods()) {
                String signature = signature(m);
                byKey.computeIfAbsent(foldKey(safe(signature)), k -> new HashSet<>())
                        .add(signature);
            }
            todo.push(c.getSuperclass() == null ? Object.class : c.getSuperclass());
            todo.addAll(List.of(c.getInterfaces()));
        }
        Set<String> colliding = new HashSet<>();
        byKey.values().stream()
                .filter(signatures -> signatures.size() > 1)
                .forEach(signatures -> signatures.forEach(signature -> colliding.add(safe(signature))));
        return Set.copyOf(colliding);
    }

    /** What a case-insensitive, normalization-insensitive file system compares: case-folded NFC. */
    static String foldKey(String name) {
        String folded = name.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
        return Normalizer.normalize(folded, Normalizer.Form.NFC);
    }

    /** {@code folder} with {@code ~} and a hash of {@code original}, within {@link #MAX_BYTES}. */
    private static String withHash(String folder, String original) {
        String hash = String.format(Locale.ROOT, "~%08x", original.hashCode());
        String s = folder.getBytes(StandardCharsets.UTF_8).length + hash.length() > MAX_BYTES
                ? truncateUtf8(folder, MAX_BYTES - hash.length())
                : folder;
        return s + hash;
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
        Normalizer.normalize(name, Normalizer.Form.NFC).codePoints().forEach(c -> {
            if (isBidiControl(c)) {
                return; // dropped
            }
            if (c < 0x20
                    || c == 0x7f
                    || "/\\:*?\"<>|".indexOf(c) >= 0
                    || (c >= 0xD800 && c <= 0xDFFF)) { // a lone surrogate cannot be encoded
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
            String hash = String.format(Locale.ROOT, "~%08x", name.hashCode());
            s = truncateUtf8(s, MAX_BYTES - hash.length()) + hash;
        }
        while (s.endsWith(".") || s.endsWith(" ")) {
            s = s.substring(0, s.length() - 1) + "_";
        }
        return s;
    }

    /** Bidirectional embeddings, overrides (U+202A–U+202E) and isolates (U+2066–U+2069). */
    private static boolean isBidiControl(int c) {
        return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
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
