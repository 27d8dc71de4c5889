package dev.jprof.format;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.jprof.format.internal.CallTree;
import dev.jprof.internal.AtomicFiles;
import dev.jprof.profile.Profile;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * Writes a profile as an interactive flame graph: one self-contained HTML file that needs no network
 * access and works when opened from disk.
 *
 * <p>The page draws the call tree as an icicle graph (callers above callees, widths proportional to
 * the chosen value), colored by kind of code (your code, the JDK, test and build frameworks, native
 * code, the kernel). Hovering a frame shows its function, value and share of the total; clicking a
 * frame zooms into it; clicking the top frame, <em>Reset</em> or Escape zooms out. The search box
 * takes a regular expression, highlights matching frames and shows their share of the total. A
 * profile with several sample types (such as {@code alloc_objects} and {@code alloc_space}) gets a
 * selector to switch between them.
 *
 * <p>The URL fragment presets the page and follows it, so a view can be shared as a link:
 * {@code search=<regular expression>}, {@code type=<sample type>} and {@code zoom=<function>} (the
 * heaviest frame of that function), for example
 * {@code flame.html#search=Parser%5C.parse&type=alloc_space&zoom=com.acme.Main.run}.
 *
 * <p>{@link #diff(Profile, Profile, Path)} writes a <em>differential</em> flame graph of two
 * profiles: the shape of the profile after a change, each frame red where its value grew and blue
 * where it shrank, deeper for larger changes; by change of share of the total (the default, which
 * compares runs of different lengths) or by change of absolute value ({@code mode=value} in the URL
 * fragment, or the page's selector). Hovering a frame shows both values, both shares and the
 * change; the header shows the change of the total and the function whose own (flat) value grew most.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class FlameGraph {

    private static final String TEMPLATE = "flamegraph.html";
    private static final String TITLE_TOKEN = "@@TITLE@@";
    private static final String DATA_TOKEN = "@@DATA@@";

    private FlameGraph() {}

    /**
     * Writes a flame graph of {@code profile}'s default sample type (the last one when it has no
     * default) to {@code file}, titled with the file name.
     *
     * @throws IOException naming {@code file} when it cannot be written; the file is then unchanged
     */
    public static void write(Profile profile, Path file) throws IOException {
        write(profile, defaultType(profile), file);
    }

    /**
     * Writes a flame graph of {@code profile}'s values of {@code sampleType} to {@code file}, titled
     * with the file name. The page can switch to the profile's other sample types.
     *
     * @throws IllegalArgumentException when the profile has no sample type {@code sampleType}
     * @throws IOException naming {@code file} when it cannot be written; the file is then unchanged
     */
    public static void write(Profile profile, String sampleType, Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        Path name = file.getFileName();
        write(profile, sampleType, file, name == null ? file.toString() : name.toString());
    }

    /**
     * Writes a flame graph of {@code profile}'s default sample type to {@code file}, titled
     * {@code title} (for example the test that was profiled).
     *
     * @throws IOException naming {@code file} when it cannot be written; the file is then unchanged
     */
    public static void write(Profile profile, Path file, String title) throws IOException {
        write(profile, defaultType(profile), file, title);
    }

    /**
     * Writes a differential flame graph of {@code after} against {@code before} to {@code file},
     * titled with the file name: the shape of {@code after}, frames coloured by how their value
     * changed (see the class documentation). Sample types are matched by name; the page shows
     * {@code after}'s default sample type first.
     *
     * @throws IOException naming {@code file} when it cannot be written; the file is then unchanged
     */
    public static void diff(Profile before, Profile after, Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        Path name = file.getFileName();
        diff(before, after, file, name == null ? file.toString() : name.toString());
    }

    /**
     * Writes a differential flame graph of {@code after} against {@code before} to {@code file},
     * titled {@code title}.
     *
     * @throws IOException naming {@code file} when it cannot be written; the file is then unchanged
     */
    public static void diff(Profile before, Profile after, Path file, String title) throws IOException {
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
        Objects.requireNonNull(title, "title");
        writePage(CallTree.diff(before, after), after.valueIndex(defaultType(after)), file, title);
    }

    private static void write(Profile profile, String sampleType, Path file, String title) throws IOException {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(sampleType, "sampleType");
        Objects.requireNonNull(title, "title");
        writePage(CallTree.of(profile), profile.valueIndex(sampleType), file, title);
    }

    /**
     * Writes the page to {@code file}: the template's bytes as they are, only the title and the data
     * converted (both ASCII), with no copy of the whole page in memory.
     */
    private static void writePage(CallTree tree, int selected, Path file, String title) throws IOException {
        StringBuilder text = new StringBuilder(64 + 16 * tree.size());
        appendHtmlText(text, title);
        int titleEnd = text.length();
        tree.appendJson(text, selected);
        AtomicFiles.write(file, out -> {
            byte[] buffer = new byte[8192];
            out.write(Template.HEAD);
            writeAscii(text, 0, titleEnd, out, buffer);
            out.write(Template.MIDDLE);
            writeAscii(text, titleEnd, text.length(), out, buffer);
            out.write(Template.TAIL);
        });
    }

    /** Writes {@code text}'s characters from {@code from} to {@code to}, each an ASCII character, as bytes. */
    private static void writeAscii(CharSequence text, int from, int to, OutputStream out, byte[] buffer)
            throws IOException {
        int n = 0;
        for (int i = from; i < to; i++) {
            if (n == buffer.length) {
                out.write(buffer, 0, n);
                n = 0;
            }
            buffer[n++] = (byte) text.charAt(i);
        }
        out.write(buffer, 0, n);
    }

    /**
     * The flame graph page of {@code profile}'s values of {@code sampleType}, titled {@code title}.
     * The page is plain ASCII.
     *
     * @throws IllegalArgumentException when the profile has no sample type {@code sampleType}
     */
    public static String toHtml(Profile profile, String sampleType, String title) {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(sampleType, "sampleType");
        Objects.requireNonNull(title, "title");
        return page(CallTree.of(profile), profile.valueIndex(sampleType), title);
    }

    private static String page(CallTree tree, int selected, String title) {
        StringBuilder data = new StringBuilder(64 + 16 * tree.size());
        tree.appendJson(data, selected);

        String template = Template.TEXT;
        int titleAt = template.indexOf(TITLE_TOKEN);
        int dataAt = template.indexOf(DATA_TOKEN);
        StringBuilder html = new StringBuilder(template.length() + data.length() + 2 * title.length());
        html.append(template, 0, titleAt);
        appendHtmlText(html, title);
        html.append(template, titleAt + TITLE_TOKEN.length(), dataAt);
        html.append(data);
        html.append(template, dataAt + DATA_TOKEN.length(), template.length());
        return html.toString();
    }

    private static String defaultType(Profile profile) {
        String type = profile.defaultSampleType();
        if (type != null) {
            for (var t : profile.sampleTypes()) {
                if (t.type().equals(type)) {
                    return type;
                }
            }
        }
        return profile.sampleTypes().get(profile.sampleTypes().size() - 1).type();
    }

    /** Escapes text for HTML element content, as ASCII (non-ASCII as character references). */
    private static void appendHtmlText(StringBuilder out, String s) {
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            switch (cp) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> {
                    if (cp < 0x20 || cp > 0x7e) {
                        boolean invalid = cp < 0x20 || (cp >= 0xd800 && cp <= 0xdfff);
                        out.append("&#x")
                                .append(Integer.toHexString(invalid ? 0xfffd : cp))
                                .append(';');
                    } else {
                        out.append((char) cp);
                    }
                }
            }
        }
    }

    /** The page template, read once on first use; as bytes, split around the title and the data. */
    private static final class Template {
        static final String TEXT = read();
        static final byte[] HEAD;
        static final byte[] MIDDLE;
        static final byte[] TAIL;

        static {
            int titleAt = TEXT.indexOf(TITLE_TOKEN);
            int dataAt = TEXT.indexOf(DATA_TOKEN);
            HEAD = TEXT.substring(0, titleAt).getBytes(StandardCharsets.US_ASCII);
            MIDDLE = TEXT.substring(titleAt + TITLE_TOKEN.length(), dataAt).getBytes(StandardCharsets.US_ASCII);
            TAIL = TEXT.substring(dataAt + DATA_TOKEN.length()).getBytes(StandardCharsets.US_ASCII);
        }

        private static String read() {
            String name = "dev/jprof/format/internal/" + TEMPLATE;
            try (InputStream in = FlameGraph.class.getResourceAsStream("internal/" + TEMPLATE)) {
                if (in == null) {
                    throw new IllegalStateException("Missing resource [" + name + "]");
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read [" + name + "]", e);
            }
        }
    }
}
