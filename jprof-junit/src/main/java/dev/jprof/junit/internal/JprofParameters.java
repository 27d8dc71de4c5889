package dev.jprof.junit.internal;

import dev.jprof.junit.Jprof;
import java.lang.reflect.Method;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;

/** Resolves {@link Jprof} parameters for {@link JprofExtension}. */
final class JprofParameters {

    private JprofParameters() {}

    static boolean supports(ParameterContext parameter) {
        return parameter.getParameter().getType() == Jprof.class;
    }

    static Jprof resolve(ExtensionContext context, Settings settings) {
        return new JprofHandle(settings.defaults(), () -> {
            Optional<Method> method = context.getTestMethod();
            Optional<Class<?>> testClass = context.getTestClass();
            if (method.isEmpty() || testClass.isEmpty() || !settings.enabled()) {
                return null;
            }
            boolean profiled = !JprofExtension.resolve(testClass.get(), method.get(), settings.defaults()).kinds().isEmpty();
            return profiled ? testClass.get().getName() + "." + method.get().getName() + "()" : null;
        });
    }
}
