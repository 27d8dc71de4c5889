package dev.jprof.format;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * Thrown when bytes that should be a pprof profile are not: bad gzip data, bad protobuf, or a
 * profile whose references do not resolve (a string index outside the string table, a location id
 * that does not exist, a sample with the wrong number of values...).
 *
 * <p>The message names the file (or says it was a stream) and what is wrong with it.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class PprofFormatException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** An exception with {@code message}, which names the offending file. */
    public PprofFormatException(String message) {
        super(message);
    }

    /** An exception with {@code message}, which names the offending file, caused by {@code cause}. */
    public PprofFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
