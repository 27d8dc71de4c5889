package dev.jprof.format;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.jprof.format.internal.pb.PprofProto;
import dev.jprof.internal.AtomicFiles;
import dev.jprof.profile.Profile;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apiguardian.api.API;

/**
 * Writes and reads profiles in pprof format, the gzipped protocol buffer that {@code go tool pprof}
 * and many other tools read.
 *
 * <p>Writing is deterministic: the same profile always gives the same bytes. Each distinct frame
 * becomes one pprof {@code Location} with one {@code Line}; each distinct function name and file
 * one {@code Function}; labels are string labels.
 *
 * <p>Reading accepts gzipped or plain protocol buffers from any writer. A {@code Location} with
 * several lines (inlined calls) becomes several frames, innermost first; a {@code Location} without
 * lines becomes a frame named after its address ({@code 0x4a3f2c}); numeric labels become string
 * labels ({@code "1024"}, {@code "1024 bytes"}), except that a label with neither string, number
 * nor unit reads as {@code ""} (pprof cannot tell an empty string from the number 0); when a label
 * key occurs more than once in a sample the first value is kept. Mappings, addresses of symbolized
 * locations, {@code drop_frames}, {@code keep_frames} and {@code doc_url} are not kept.
 *
 * <p>Gzipped input is inflated to at most {@link #MAX_INFLATED_BYTES} bytes; beyond that it is
 * rejected as malformed, so that a small file that inflates to gigabytes (a "gzip bomb") cannot
 * exhaust the heap.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class Pprof {

    /**
     * The most bytes a gzipped profile may inflate to: {@value} (128 MiB). Larger input is rejected
     * with a {@link PprofFormatException}.
     */
    public static final int MAX_INFLATED_BYTES = 128 << 20;

    private static final int GZIP_MAGIC_1 = 0x1f;
    private static final int GZIP_MAGIC_2 = 0x8b;

    private Pprof() {}

    /**
     * Writes {@code profile} to {@code file} as gzipped pprof, atomically: the file is either the
     * whole new profile or left as it was. Parent directories are created.
     *
     * @throws IOException naming {@code file} when it cannot be written
     */
    public static void write(Profile profile, Path file) throws IOException {
        PprofEncoder.Out bytes = PprofEncoder.encoded(Objects.requireNonNull(profile, "profile"));
        AtomicFiles.write(file, out -> gzip(bytes.buffer(), bytes.size(), out));
    }

    /**
     * Writes {@code profile} to {@code out} as gzipped pprof. The stream is flushed, not closed.
     *
     * @throws IOException when {@code out} fails
     */
    public static void write(Profile profile, OutputStream out) throws IOException {
        Objects.requireNonNull(out, "out");
        PprofEncoder.Out bytes = PprofEncoder.encoded(Objects.requireNonNull(profile, "profile"));
        gzip(bytes.buffer(), bytes.size(), out);
        out.flush();
    }

    /**
     * The pprof encoding of {@code profile} as a plain, uncompressed protocol buffer. Gzip it (or use
     * the {@code write} methods) for tools that expect {@code .pb.gz}; {@code go tool pprof} reads
     * both.
     */
    public static byte[] toBytes(Profile profile) {
        return PprofEncoder.encode(Objects.requireNonNull(profile, "profile"));
    }

    /**
     * Reads a pprof file, gzipped or not.
     *
     * @throws IOException naming {@code file} when it cannot be read
     * @throws PprofFormatException naming {@code file} and the problem when it is not a valid pprof
     *     profile
     */
    public static Profile read(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IOException("Cannot read pprof file [" + file + "]: " + e, e);
        }
        return decode(bytes, "pprof file [" + file + "]");
    }

    /**
     * Reads a pprof profile, gzipped or not, from {@code in} until its end. The stream is not closed.
     *
     * @throws IOException when {@code in} fails
     * @throws PprofFormatException naming the problem when the bytes are not a valid pprof profile
     */
    public static Profile read(InputStream in) throws IOException {
        return decode(in.readAllBytes(), "pprof stream");
    }

    /**
     * Deflate's level for pprof files: 5, not zlib's default 6. On jprof's profiles (location ids repeated
     * sample after sample) level 6 took 1.75 times as long for files 1% smaller (a 1,000-test run's CPU
     * profile: 15.8 ms against 9.0 ms of deflating, 124 KB against 126 KB); gzip was half the time of
     * writing a profile. Go's {@code runtime/pprof} writes its profiles at gzip's fastest level, 1.
     */
    static final int GZIP_LEVEL = 5;

    private static void gzip(byte[] bytes, int length, OutputStream out) throws IOException {
        // GZIPOutputStream writes a zero modification time, so the bytes depend only on the profile.
        try (GZIPOutputStream gz = new GZIPOutputStream(new NonClosing(out), 1 << 16) {
            {
                def.setLevel(GZIP_LEVEL); // before any input: the whole stream is at this level
            }
        }) {
            gz.write(bytes, 0, length);
        }
    }

    private static Profile decode(byte[] bytes, String source) {
        String prefix = "Cannot read " + source + ": ";
        if (bytes.length == 0) {
            throw new PprofFormatException(prefix + "it is empty");
        }
        byte[] proto = bytes;
        if (isGzip(bytes)) {
            try (InputStream gz = new GZIPInputStream(new ByteArrayInputStream(bytes), 1 << 16)) {
                proto = inflate(gz, prefix);
            } catch (IOException e) {
                throw new PprofFormatException(prefix + "bad gzip data (" + e.getMessage() + ")", e);
            }
        }
        PprofProto.Profile message;
        try {
            message = PprofProto.Profile.parseFrom(proto);
        } catch (InvalidProtocolBufferException e) {
            throw new PprofFormatException(prefix + "bad protobuf (" + e.getMessage() + ")", e);
        }
        try {
            return PprofDecoder.decode(message);
        } catch (PprofDecoder.Failure e) {
            throw new PprofFormatException(prefix + e.getMessage());
        } catch (RuntimeException e) {
            // The decoder checks every reference; this is a safety net so no bare NPE escapes.
            throw new PprofFormatException(prefix + "malformed profile (" + e + ")", e);
        }
    }

    /** All of {@code gz}, unless it inflates beyond {@link #MAX_INFLATED_BYTES}. */
    private static byte[] inflate(InputStream gz, String prefix) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 16);
        byte[] buffer = new byte[1 << 16];
        int n;
        while ((n = gz.read(buffer)) != -1) {
            if (out.size() + n > MAX_INFLATED_BYTES) {
                throw new PprofFormatException(prefix + "it inflates to more than " + (MAX_INFLATED_BYTES >> 20)
                        + " MiB (Pprof.MAX_INFLATED_BYTES), more than a profile should take");
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    private static boolean isGzip(byte[] bytes) {
        return bytes.length >= 2 && (bytes[0] & 0xff) == GZIP_MAGIC_1 && (bytes[1] & 0xff) == GZIP_MAGIC_2;
    }

    /** Lets a GZIPOutputStream finish without closing the caller's stream. */
    private static final class NonClosing extends FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
