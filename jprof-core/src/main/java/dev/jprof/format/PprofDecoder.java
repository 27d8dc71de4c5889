package dev.jprof.format;

import dev.jprof.format.internal.pb.PprofProto;
import dev.jprof.profile.Frame;
import dev.jprof.profile.Profile;
import dev.jprof.profile.ValueType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a pprof message into a {@link Profile}, checking every reference on the way. Problems are
 * reported as {@link Failure}s, which {@link Pprof} turns into a {@link PprofFormatException} that
 * names the file.
 */
final class PprofDecoder {

    /** What is wrong with the message, without the file name. */
    static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;

        Failure(String message) {
            super(message, null, false, false);
        }
    }

    private final PprofProto.Profile in;
    private final List<String> strings;
    private final Map<Long, PprofProto.Function> functions = new HashMap<>();
    private final Map<Long, List<Frame>> locations = new HashMap<>();
    private Profile.Builder builder;

    private PprofDecoder(PprofProto.Profile in) {
        this.in = in;
        this.strings = in.getStringTableList();
    }

    static Profile decode(PprofProto.Profile message) throws Failure {
        return new PprofDecoder(message).run();
    }

    private Profile run() throws Failure {
        if (strings.isEmpty() || !strings.get(0).isEmpty()) {
            throw new Failure("the string table must start with the empty string");
        }
        if (in.getSampleTypeCount() == 0) {
            throw new Failure("the profile has no sample types");
        }
        List<ValueType> sampleTypes = new ArrayList<>();
        for (int i = 0; i < in.getSampleTypeCount(); i++) {
            sampleTypes.add(valueType(in.getSampleType(i), "sample type " + i));
        }
        builder = Profile.builder(sampleTypes);

        for (PprofProto.Function f : in.getFunctionList()) {
            if (f.getId() == 0) {
                throw new Failure("a function has id 0");
            }
            if (functions.put(f.getId(), f) != null) {
                throw new Failure("function id " + Long.toUnsignedString(f.getId()) + " is used twice");
            }
        }
        for (PprofProto.Location location : in.getLocationList()) {
            if (location.getId() == 0) {
                throw new Failure("a location has id 0");
            }
            if (locations.put(location.getId(), frames(location)) != null) {
                throw new Failure("location id " + Long.toUnsignedString(location.getId()) + " is used twice");
            }
        }

        int sampleIndex = 0;
        for (PprofProto.Sample sample : in.getSampleList()) {
            addSample(sample, sampleIndex++, sampleTypes.size());
        }

        if (in.hasPeriodType()) {
            ValueType periodType = valueType(in.getPeriodType(), "the period type");
            // Some writers emit an empty period type rather than none.
            if (!periodType.type().isEmpty() || !periodType.unit().isEmpty()) {
                builder.periodType(periodType);
            }
        }
        builder.period(in.getPeriod());
        builder.startEpochNanos(in.getTimeNanos());
        builder.durationNanos(in.getDurationNanos());
        for (long comment : in.getCommentList()) {
            builder.comment(string(comment, "a comment"));
        }
        if (in.getDefaultSampleType() != 0) {
            builder.defaultSampleType(string(in.getDefaultSampleType(), "the default sample type"));
        }
        return builder.build();
    }

    private void addSample(PprofProto.Sample sample, int index, int valueCount) throws Failure {
        if (sample.getValueCount() != valueCount) {
            throw new Failure("sample " + index + " has " + sample.getValueCount() + " values but the profile has "
                    + valueCount + " sample types");
        }
        List<Frame> stack = new ArrayList<>();
        for (long id : sample.getLocationIdList()) {
            List<Frame> frames = locations.get(id);
            if (frames == null) {
                throw new Failure("sample " + index + " refers to location id " + Long.toUnsignedString(id)
                        + ", which does not exist");
            }
            stack.addAll(frames);
        }
        Map<String, String> labels = new LinkedHashMap<>();
        for (PprofProto.Label label : sample.getLabelList()) {
            String what = "a label of sample " + index;
            String key = string(label.getKey(), what);
            String value;
            if (label.getStr() != 0) {
                value = string(label.getStr(), what);
            } else if (label.getNum() == 0 && label.getNumUnit() == 0) {
                // Index 0 is the empty string: a string label with value "" is written like this, and
                // cannot be told apart from the number 0 without a unit. Prefer the string.
                value = "";
            } else if (label.getNumUnit() != 0) {
                value = label.getNum() + " " + string(label.getNumUnit(), what);
            } else {
                value = Long.toString(label.getNum());
            }
            // pprof allows several values per key; the model keeps the first.
            labels.putIfAbsent(key, value);
        }
        builder.addSample(
                stack, sample.getValueList().stream().mapToLong(Long::longValue).toArray(), labels);
    }

    /** The frames of a location, innermost (inlined) first, as the model's leaf-first stacks want them. */
    private List<Frame> frames(PprofProto.Location location) throws Failure {
        String what = "location " + Long.toUnsignedString(location.getId());
        if (location.getLineCount() == 0) {
            // Not symbolized (for example a Go profile taken without symbols): keep the address.
            return List.of(builder.frame(Frame.of("0x" + Long.toHexString(location.getAddress()))));
        }
        List<Frame> frames = new ArrayList<>(location.getLineCount());
        for (PprofProto.Line line : location.getLineList()) {
            String name = "";
            String file = "";
            if (line.getFunctionId() != 0) {
                PprofProto.Function f = functions.get(line.getFunctionId());
                if (f == null) {
                    throw new Failure(what + " refers to function id " + Long.toUnsignedString(line.getFunctionId())
                            + ", which does not exist");
                }
                String fWhat = "function " + Long.toUnsignedString(f.getId());
                name = string(f.getName(), fWhat);
                if (name.isEmpty()) {
                    name = string(f.getSystemName(), fWhat);
                }
                file = string(f.getFilename(), fWhat);
            }
            long lineNumber = line.getLine();
            int clamped = lineNumber > 0 && lineNumber <= Integer.MAX_VALUE ? (int) lineNumber : 0;
            frames.add(builder.frame(name, file, clamped));
        }
        return frames;
    }

    private ValueType valueType(PprofProto.ValueType type, String what) throws Failure {
        return new ValueType(string(type.getType(), what), string(type.getUnit(), what));
    }

    private String string(long index, String what) throws Failure {
        if (index < 0 || index >= strings.size()) {
            throw new Failure(what + " refers to string index " + index + ", outside the string table of "
                    + strings.size() + " strings");
        }
        return strings.get((int) index);
    }
}
