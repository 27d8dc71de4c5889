package dev.jprof.format;

import dev.jprof.profile.Frame;
import dev.jprof.profile.Profile;
import dev.jprof.profile.Sample;
import dev.jprof.profile.ValueType;
import dev.jprof.profile.internal.FrameIndices;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ObjLongConsumer;

/**
 * Turns a {@link Profile} into the bytes of a pprof message ({@code profile.proto} in
 * {@code src/main/proto}), written directly rather than through message objects: a profile of
 * thousands of samples is encoded once per test, and object-by-object it cost more than reading the
 * recording. The locations most samples use are numbered first (see {@link #locationIds}), everything
 * else in first-use order, and fields are written in field-number order,
 * as protobuf's own serializer writes them, so the same profile always gives the same bytes
 * ({@code PprofGoldenTest}); {@code PprofRoundTripTest} reads them back with protobuf's parser.
 *
 * <p>The profile has one {@code Mapping} that says functions, file names and line numbers are
 * already resolved. Without it {@code go tool pprof} warns "Main binary filename not available." and
 * tries to symbolize; with it, it prints no warning at all. Locations do not name it (pprof allows
 * that where a mapping does not apply: Java code has no addresses), and functions have no
 * {@code system_name}, which would repeat the name: two fields fewer per location and per function,
 * so that a file is no larger than async-profiler's converter writes for the same samples.
 */
final class PprofEncoder {

    /**
     * Labels whose values are numbers, written as pprof numeric labels so that
     * {@code go tool pprof -tagfocus fork=2} matches them (pprof reads {@code 2} there as a numeric
     * range, which never matches a string label): JMH's {@code fork} and {@code iteration}. A value
     * that is not a plain integer is written as a string.
     */
    static final java.util.Set<String> NUMERIC_LABELS = java.util.Set.of("fork", "iteration");

    /** {@code value} as a long when it is written exactly as {@link Long#toString(long)} writes one, else {@code null}. */
    private static Long number(String value) {
        try {
            long n = Long.parseLong(value);
            return Long.toString(n).equals(value) ? n : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static final long MAPPING_ID = 1;

    /** A pprof {@code Function}: one per distinct function name and file. */
    private record FunctionKey(String name, String file) {}

    /**
     * Numbers keys in the order they are first seen, from {@code first}, and tells {@code onFirstSight}
     * of each new one (which writes its message or table entry): pprof's string, function and location
     * tables.
     */
    private static final class Index<K> {
        private final Map<K, Long> ids;
        private final long first;
        private final ObjLongConsumer<K> onFirstSight;

        Index(long first, int expected, ObjLongConsumer<K> onFirstSight) {
            this.ids = new HashMap<>(expected * 4 / 3 + 1);
            this.first = first;
            this.onFirstSight = onFirstSight;
        }

        long id(K key) {
            Long id = ids.get(key);
            if (id == null) {
                id = first + ids.size();
                ids.put(key, id);
                onFirstSight.accept(key, id);
            }
            return id;
        }
    }

    private final List<String> stringTable;
    private final Index<String> strings;
    private final Index<FunctionKey> functions;

    private final Out samples;
    private final Out locationsOut;
    private final Out functionsOut;
    private final Out scratch = new Out(256);
    private final Out labelScratch = new Out(64);
    private final Out message = new Out(64);
    private final Out functionMessage = new Out(64);

    /** Sized for {@code frames} distinct frames. */
    private PprofEncoder(int frames) {
        stringTable = new ArrayList<>(frames * 2 + 16);
        strings = new Index<>(0, frames * 2 + 16, (s, id) -> stringTable.add(s));
        functions = new Index<>(1, frames, this::writeFunction);
        samples = new Out(1 << 12); // sized in run, once the stacks are counted
        locationsOut = new Out(frames * 12 + 16);
        functionsOut = new Out(frames * 10 + 16);
        string(""); // pprof requires the empty string at index 0
    }

    static byte[] encode(Profile profile) {
        return encoded(profile).toByteArray();
    }

    /** The encoding of {@code profile}, in a buffer of the encoder's: for a writer that need not copy it. */
    static Out encoded(Profile profile) {
        return new PprofEncoder(profile.frames().size()).run(profile);
    }

    private Out run(Profile profile) {
        Out out = new Out(1 << 12);
        for (ValueType type : profile.sampleTypes()) {
            valueType(out, 1, type);
        }
        List<Frame> frames = profile.frames();
        List<Sample> all = profile.samples();
        int[] locationIds = locationIds(frames.size(), all);
        for (Sample sample : all) {
            sample(sample, locationIds);
        }
        out.reserve(samples.size + (1 << 12));
        out.bytes(2, samples); // already framed: field 2, length, message per sample
        // functions (and their names' strings) in the frames' first-use order, where a class's methods are
        // close together and compress well; then the locations in id order
        long[] functionIds = new long[frames.size()];
        int[] byId = new int[frames.size()];
        for (int f = 0; f < byId.length; f++) {
            Frame frame = frames.get(f);
            functionIds[f] = functions.id(new FunctionKey(frame.function(), frame.file()));
            byId[locationIds[f] - 1] = f;
        }
        for (int id = 1; id <= byId.length; id++) {
            int f = byId[id - 1];
            writeLocation(id, functionIds[f], frames.get(f).line());
        }
        // the mapping: id 1, has_functions, has_filenames, has_line_numbers
        scratch.reset();
        scratch.varintField(1, MAPPING_ID);
        scratch.varintField(7, 1);
        scratch.varintField(8, 1);
        scratch.varintField(9, 1);
        out.message(3, scratch);
        out.bytes(4, locationsOut);
        out.bytes(5, functionsOut);
        // strings used by the fields after the table are interned before it is written
        long periodTypeType =
                profile.periodType() == null ? 0 : string(profile.periodType().type());
        long periodTypeUnit =
                profile.periodType() == null ? 0 : string(profile.periodType().unit());
        long[] comments = new long[profile.comments().size()];
        for (int i = 0; i < comments.length; i++) {
            comments[i] = string(profile.comments().get(i));
        }
        long defaultType = profile.defaultSampleType() == null ? 0 : string(profile.defaultSampleType());
        long tableBytes = 0;
        for (String s : stringTable) {
            tableBytes += s.length() + 3;
        }
        // what follows the table is a few dozen bytes: the whole message is not copied as it grows
        out.reserve((int) Math.min(Integer.MAX_VALUE - 16, out.size + tableBytes + 256));
        for (String s : stringTable) {
            out.string(6, s);
        }
        out.varintField(9, profile.startEpochNanos());
        out.varintField(10, profile.durationNanos());
        if (profile.periodType() != null) {
            scratch.reset();
            scratch.varintField(1, periodTypeType);
            scratch.varintField(2, periodTypeUnit);
            out.message(11, scratch);
        }
        out.varintField(12, profile.period());
        if (comments.length > 0) {
            scratch.reset();
            for (long c : comments) {
                scratch.varint(c);
            }
            out.message(13, scratch); // packed
        }
        out.varintField(14, defaultType);
        return out;
    }

    /** Location ids below this take one byte as a varint. */
    private static final int ONE_BYTE_IDS = 127;

    /**
     * The location id of each of the profile's frames (by index in {@link Profile#frames()}): the
     * {@value #ONE_BYTE_IDS} frames that samples use most often get ids 1 to {@value #ONE_BYTE_IDS}, the
     * rest the following ones, both in first-use order. Every sample repeats the outer frames of a test
     * runner, and an id below 128 takes one byte instead of two: numbered in first-use order alone, a
     * 1,000-test run's CPU profile took 622 KB before compression instead of 486 KB, and gzip's time
     * grows with the bytes. First-use order otherwise keeps a class's methods together, which
     * compresses better than an order by use.
     */
    private int[] locationIds(int frames, List<Sample> samples) {
        int[] uses = new int[frames];
        long entries = 0;
        for (Sample sample : samples) {
            int[] stack = FrameIndices.of(sample);
            entries += stack.length;
            for (int f : stack) {
                uses[f]++;
            }
        }
        // two bytes per location id, and a sample's own fields: the samples' buffer is not copied as it grows
        this.samples.reserve((int) Math.min(1 << 28, entries * 2 + samples.size() * 24L));
        boolean[] top = new boolean[frames];
        if (frames <= ONE_BYTE_IDS) {
            Arrays.fill(top, true);
        } else {
            long[] order = new long[frames]; // most uses first, then first use
            for (int f = 0; f < frames; f++) {
                order[f] = (long) (Integer.MAX_VALUE - uses[f]) << 32 | f;
            }
            Arrays.sort(order);
            for (int rank = 0; rank < ONE_BYTE_IDS; rank++) {
                top[(int) order[rank]] = true;
            }
        }
        int[] ids = new int[frames];
        int nextTop = 1;
        int nextRest = ONE_BYTE_IDS + 1;
        for (int f = 0; f < frames; f++) {
            ids[f] = top[f] ? nextTop++ : nextRest++;
        }
        return ids;
    }

    private void sample(Sample sample, int[] locationIds) {
        int[] stack = FrameIndices.of(sample);
        Out s = scratch;
        s.reset();
        if (stack.length > 0) {
            int size = 0;
            for (int f : stack) {
                size += Out.varintSize(locationIds[f]);
            }
            s.tag(1, 2);
            s.varint(size);
            for (int f : stack) {
                s.varint(locationIds[f]);
            }
        }
        int n = sample.valueCount();
        if (n > 0) {
            int size = 0;
            for (int i = 0; i < n; i++) {
                size += Out.varintSize(sample.value(i));
            }
            s.tag(2, 2);
            s.varint(size);
            for (int i = 0; i < n; i++) {
                s.varint(sample.value(i));
            }
        }
        // Label maps have no stable iteration order: sort by key so the output is deterministic.
        Map<String, String> labels = sample.labels();
        if (!labels.isEmpty()) {
            String[] keys = labels.keySet().toArray(String[]::new);
            if (keys.length > 1) {
                Arrays.sort(keys);
            }
            for (String key : keys) {
                labelScratch.reset();
                labelScratch.varintField(1, string(key));
                String value = labels.get(key);
                Long num = NUMERIC_LABELS.contains(key) ? number(value) : null;
                if (num != null) {
                    // pprof matches a numeric -tagfocus (fork=2) only against numeric labels
                    labelScratch.varintField(3, num);
                } else {
                    labelScratch.varintField(2, string(value));
                }
                s.message(3, labelScratch);
            }
        }
        samples.message(2, s);
    }

    private void writeLocation(long id, long function, int lineNumber) {
        Out line = labelScratch;
        line.reset();
        line.varintField(1, function);
        line.varintField(2, lineNumber);
        Out location = message;
        location.reset();
        location.varintField(1, id);
        location.message(4, line);
        locationsOut.message(4, location);
    }

    private void writeFunction(FunctionKey key, long id) {
        Out function = functionMessage;
        function.reset();
        function.varintField(1, id);
        function.varintField(2, string(key.name()));
        function.varintField(4, string(key.file()));
        functionsOut.message(5, function);
    }

    private void valueType(Out out, int field, ValueType type) {
        Out v = new Out(16);
        v.varintField(1, string(type.type()));
        v.varintField(2, string(type.unit()));
        out.message(field, v);
    }

    private long string(String s) {
        return strings.id(s);
    }

    /** Whether {@code s} has only ASCII characters, whose UTF-8 encoding is one byte per character. */
    private static boolean ascii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** A growable buffer of protobuf wire format. */
    static final class Out {
        private byte[] buf;
        private int size;

        Out(int capacity) {
            buf = new byte[capacity];
        }

        void reset() {
            size = 0;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buf, size);
        }

        void reserve(int capacity) {
            if (capacity > buf.length) {
                buf = Arrays.copyOf(buf, capacity);
            }
        }

        private void ensure(int more) {
            if (size + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
            }
        }

        void tag(int field, int wireType) {
            varint((long) field << 3 | wireType);
        }

        /** An int64 or uint64 as a varint: negative values take ten bytes, as protobuf writes them. */
        void varint(long v) {
            ensure(10);
            while ((v & ~0x7FL) != 0) {
                buf[size++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            buf[size++] = (byte) v;
        }

        static int varintSize(long v) {
            int n = 1;
            while ((v & ~0x7FL) != 0) {
                n++;
                v >>>= 7;
            }
            return n;
        }

        /** A varint field, left out when 0 (proto3's default). */
        void varintField(int field, long v) {
            if (v != 0) {
                tag(field, 0);
                varint(v);
            }
        }

        /** A length-delimited field holding {@code message}, written even when empty. */
        void message(int field, Out message) {
            tag(field, 2);
            varint(message.size);
            ensure(message.size);
            System.arraycopy(message.buf, 0, buf, size, message.size);
            size += message.size;
        }

        /** Bytes that are already whole fields (the field number is for the reader of this code). */
        void bytes(int field, Out fields) {
            ensure(fields.size);
            System.arraycopy(fields.buf, 0, buf, size, fields.size);
            size += fields.size;
        }

        /** The bytes written, {@code 0} to {@link #size()}; the buffer is the writer's. */
        byte[] buffer() {
            return buf;
        }

        int size() {
            return size;
        }

        void string(int field, String s) {
            int n = s.length();
            if (n < 128 && ascii(s)) {
                // names are ASCII almost always: written as they are, without an array per string
                tag(field, 2);
                buf[size++] = (byte) n;
                ensure(n);
                for (int i = 0; i < n; i++) {
                    buf[size++] = (byte) s.charAt(i);
                }
                return;
            }
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            tag(field, 2);
            varint(b.length);
            ensure(b.length);
            System.arraycopy(b, 0, buf, size, b.length);
            size += b.length;
        }
    }
}
