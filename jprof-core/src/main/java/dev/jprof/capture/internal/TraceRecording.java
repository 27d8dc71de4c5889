package dev.jprof.capture.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.jprof.internal.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apiguardian.api.API;

/**
 * The raw recording of one trace: the segments of the JVM's trace recording that its window
 * overlaps (JFR chunks, which JDK Mission Control reads one after another as one recording). The
 * segments are shared by every trace they overlap, and deleted when the last of them lets go.
 */
@API(status = INTERNAL, since = "0.1")
public final class TraceRecording {

    private final List<Part> parts;
    private final AtomicBoolean released = new AtomicBoolean();

    TraceRecording(List<Part> parts) {
        this.parts = List.copyOf(parts);
    }

    /**
     * Writes the recording into {@code target}, whole or not at all, and lets go of its segments.
     *
     * @throws IOException naming the target when it cannot be written
     * @throws IllegalStateException when already written or discarded
     */
    public void writeTo(Path target) throws IOException {
        if (released.get()) {
            throw new IllegalStateException("This trace recording was already written or discarded");
        }
        try {
            AtomicFiles.write(target, out -> {
                for (Part p : parts) {
                    Files.copy(p.file, out);
                }
            });
        } finally {
            discard();
        }
    }

    /** Lets go of the segments without writing them; once only, later calls do nothing. */
    public void discard() {
        if (released.compareAndSet(false, true)) {
            parts.forEach(Part::release);
        }
    }

    /** One segment file, deleted once nothing holds it. */
    static final class Part {
        private final Path file;
        private final AtomicInteger holders = new AtomicInteger(1);

        /** A part held by its reader, which {@linkplain #release() releases} it when done. */
        Part(Path file) {
            this.file = file;
        }

        /** One more holder. */
        Part hold() {
            holders.incrementAndGet();
            return this;
        }

        void release() {
            if (holders.decrementAndGet() == 0) {
                AsyncProfilerChannel.delete(file);
            }
        }
    }
}
