package dev.jprof.capture;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/** Capture could not start, stop or be converted; the message names the cause. */
@API(status = EXPERIMENTAL, since = "0.1")
public class CaptureException extends RuntimeException {

    public CaptureException(String message) {
        super(message);
    }

    public CaptureException(String message, Throwable cause) {
        super(message, cause);
    }
}
