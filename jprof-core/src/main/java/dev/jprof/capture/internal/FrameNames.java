package dev.jprof.capture.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.jprof.profile.Frame;
import org.apiguardian.api.API;

/** Frames of Java stack traces named as {@link JfrConverter} names those of recordings, so that the two compare. */
@API(status = INTERNAL, since = "0.1")
public final class FrameNames {

    private FrameNames() {}

    /** {@code com.acme.Parser.parse}, file {@code com/acme/Parser.java}, its line; lambda classes without their per-run ids. */
    public static Frame of(StackTraceElement e) {
        String owner = JfrConverter.stableOwner(e.getClassName());
        return new Frame(
                owner + "." + e.getMethodName(), JfrConverter.sourceFile(owner), Math.max(0, e.getLineNumber()));
    }

    /** The function of {@code code}'s {@code run} method as profiles name it: a lambda's class without its per-run id. */
    public static String runFunction(Object code) {
        return JfrConverter.stableOwner(code.getClass().getName()) + ".run";
    }
}
