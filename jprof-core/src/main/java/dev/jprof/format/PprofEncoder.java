package dev.jprof.format;

import dev.jprof.format.internal.pb.PprofProto;
import dev.jprof.profile.Frame;
import dev.jprof.profile.Profile;
import dev.jprof.profile.Sample;
import dev.jprof.profile.ValueType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a {@link Profile} into a pprof message. Everything is numbered in first-use order, so the
 * same profile always gives the same message (and so the same bytes).
 *
 * <p>The profile has one {@code Mapping} that says functions, file names and line numbers are
 * already resolved. Without it {@code go tool pprof} warns "Main binary filename not available." and
 * tries to symbolize; with it, it prints no warning at all. Locations do not name it (pprof allows
 * that where a mapping does not apply: Java code has no addresses), and functions have no
 * {@code system_name}, which would repeat the name: two fields fewer per location and per function,
 * so that a file is no larger than async-profiler's converter writes for the same samples.
 */
final class PprofEncoder {

    private static final long MAPPING_ID = 1;

    /** A pprof {@code Function}: one per distinct function name and file. */
    private record FunctionKey(String name, String file) {}

    private final PprofProto.Profile.Builder out = PprofProto.Profile.newBuilder();
    private final Map<String, Long> strings = new HashMap<>();
    private final Map<FunctionKey, Long> functions = new HashMap<>();
    private final Map<Frame, Long> locations = new HashMap<>();

    private PprofEncoder() {
        string(""); // pprof requires the empty string at index 0
    }

    static PprofProto.Profile encode(Profile profile) {
        return new PprofEncoder().run(profile);
    }

    private PprofProto.Profile run(Profile profile) {
        out.addMapping(PprofProto.Mapping.newBuilder()
                .setId(MAPPING_ID)
                .setHasFunctions(true)
                .setHasFilenames(true)
                .setHasLineNumbers(true));
        for (ValueType type : profile.sampleTypes()) {
            out.addSampleType(valueType(type));
        }
        for (Sample sample : profile.samples()) {
            out.addSample(sample(sample));
        }
        if (profile.periodType() != null) {
            out.setPeriodType(valueType(profile.periodType()));
        }
        out.setPeriod(profile.period());
        out.setTimeNanos(profile.startEpochNanos());
        out.setDurationNanos(profile.durationNanos());
        for (String comment : profile.comments()) {
            out.addComment(string(comment));
        }
        if (profile.defaultSampleType() != null) {
            out.setDefaultSampleType(string(profile.defaultSampleType()));
        }
        return out.build();
    }

    private PprofProto.Sample sample(Sample sample) {
        PprofProto.Sample.Builder b = PprofProto.Sample.newBuilder();
        for (Frame frame : sample.stack()) {
            b.addLocationId(location(frame));
        }
        for (long value : sample.values()) {
            b.addValue(value);
        }
        // Label maps have no stable iteration order: sort by key so the output is deterministic.
        List<String> keys = new ArrayList<>(sample.labels().keySet());
        keys.sort(null);
        for (String key : keys) {
            b.addLabel(PprofProto.Label.newBuilder().setKey(string(key)).setStr(string(sample.label(key))));
        }
        return b.build();
    }

    private long location(Frame frame) {
        Long id = locations.get(frame);
        if (id == null) {
            id = (long) locations.size() + 1;
            locations.put(frame, id);
            out.addLocation(PprofProto.Location.newBuilder()
                    .setId(id)
                    .addLine(PprofProto.Line.newBuilder()
                            .setFunctionId(function(frame.function(), frame.file()))
                            .setLine(frame.line())));
        }
        return id;
    }

    private long function(String name, String file) {
        FunctionKey key = new FunctionKey(name, file);
        Long id = functions.get(key);
        if (id == null) {
            id = (long) functions.size() + 1;
            functions.put(key, id);
            // no system_name: it would repeat the name (Java has no mangled names), in every function
            out.addFunction(PprofProto.Function.newBuilder()
                    .setId(id)
                    .setName(string(name))
                    .setFilename(string(file)));
        }
        return id;
    }

    private PprofProto.ValueType valueType(ValueType type) {
        return PprofProto.ValueType.newBuilder().setType(string(type.type())).setUnit(string(type.unit())).build();
    }

    private long string(String s) {
        Long index = strings.get(s);
        if (index == null) {
            index = (long) strings.size();
            strings.put(s, index);
            out.addStringTable(s);
        }
        return index;
    }
}
