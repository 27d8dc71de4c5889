package dev.jprof.alloc;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.jprof.profile.Frame;
import java.util.List;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * Where allocations come from: the allocated type and a short stack, with what was allocated there
 * over {@code ops} operations.
 *
 * @param type the allocated class in Java form, for example {@code java.lang.Integer} or {@code byte[]}
 * @param stack the innermost frames, leaf first, down to the first frame outside the JDK
 * @param bytes bytes allocated at this site
 * @param objects objects allocated at this site
 * @param ops the operations these figures cover
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record AllocationSite(String type, List<Frame> stack, long bytes, long objects, long ops) {

    public AllocationSite {
        Objects.requireNonNull(type, "type");
        stack = List.copyOf(stack);
        if (ops <= 0) {
            throw new IllegalArgumentException("ops must be positive, was " + ops);
        }
    }

    public double bytesPerOp() {
        return (double) bytes / ops;
    }

    public double objectsPerOp() {
        return (double) objects / ops;
    }

    /**
     * The stack as one line, leaf first: {@code Integer.valueOf <- Parser.parse(Parser.java:42)}. JDK
     * frames show the class's simple name and the method; the last frame also its file and line.
     */
    public String shortStack() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < stack.size(); i++) {
            Frame f = stack.get(i);
            if (i > 0) {
                b.append(" <- ");
            }
            b.append(simpleFunction(f.function()));
            if (i == stack.size() - 1 && f.line() > 0) {
                String file = f.file();
                b.append('(')
                        .append(file.substring(file.lastIndexOf('/') + 1))
                        .append(':')
                        .append(f.line())
                        .append(')');
            }
        }
        return b.toString();
    }

    /** {@code Parser.parse} for {@code com.acme.Parser.parse}. */
    static String simpleFunction(String function) {
        int method = function.lastIndexOf('.');
        if (method <= 0) {
            return function;
        }
        int cls = function.lastIndexOf('.', method - 1);
        return function.substring(cls + 1);
    }
}
