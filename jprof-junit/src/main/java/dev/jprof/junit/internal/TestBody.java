package dev.jprof.junit.internal;

import java.lang.invoke.MethodHandle;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;

/**
 * A test method's body, run again on the same test instance with the same arguments: how
 * {@code @AllocationLimit} finds allocation sites and how {@code @Hot}/{@code @NotHot} get more
 * samples. Called directly through a method handle of its own (so that JUnit's machinery is not in
 * the stacks), or reflectively where no handle can be made.
 */
final class TestBody {

    private final Method method;
    private final Object target;
    private final Object[] args;
    private final MethodHandle direct;

    private TestBody(ReflectiveInvocationContext<Method> reflective) {
        this.method = reflective.getExecutable();
        this.target = reflective.getTarget().orElse(null);
        this.args = reflective.getArguments().toArray();
        this.direct = AllocationLimits.directHandle(method);
    }

    /** The body of the invocation, or {@code null} for a dynamic test (a lambda JUnit holds, not a method). */
    static TestBody of(ReflectiveInvocationContext<Method> reflective) {
        return reflective == null ? null : new TestBody(reflective);
    }

    /** Runs the body once; what it throws propagates. */
    void run() throws Throwable {
        if (direct != null) {
            AllocationLimits.call(direct, target, args);
        } else {
            try {
                method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }
}
