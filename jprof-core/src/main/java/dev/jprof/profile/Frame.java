package dev.jprof.profile;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Objects;
import org.apiguardian.api.API;

/**
 * One frame of a stack: a function in Java form ({@code com.acme.Parser.parse}), the source file
 * where known and the line where known.
 *
 * <p>Frames are interned by {@link Profile.Builder}: equal frames of one profile are one instance.
 *
 * @param function the function name, never null; native frames keep their native name
 * @param file the source file, or {@code ""} when unknown
 * @param line the line number, or {@code 0} when unknown
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record Frame(String function, String file, int line) {

    public Frame {
        Objects.requireNonNull(function, "function");
        Objects.requireNonNull(file, "file");
        if (line < 0) {
            line = 0;
        }
    }

    /** Equal function, file and line. Interned frames are compared by identity first. */
    @Override
    public boolean equals(Object o) {
        return o == this
                || (o instanceof Frame f && line == f.line && function.equals(f.function) && file.equals(f.file));
    }

    /** A hash of function, file and line, as fast as their cached string hashes: frames are hashed per sample. */
    @Override
    public int hashCode() {
        return (function.hashCode() * 31 + file.hashCode()) * 31 + line;
    }

    /** A frame with an unknown file and line. */
    public static Frame of(String function) {
        return new Frame(function, "", 0);
    }

    /** {@code function(file:line)}, as a stack trace reads. */
    @Override
    public String toString() {
        if (file.isEmpty()) {
            return line > 0 ? function + "(:" + line + ")" : function;
        }
        return function + "(" + file + (line > 0 ? ":" + line : "") + ")";
    }
}
