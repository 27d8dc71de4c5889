package dev.jprof.junit.internal;

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test invocation as jprof names it everywhere, computed once: its class, method, JUnit unique id,
 * display name from the method down ({@code parse(String) › [1] "a, b"}), its label
 * ({@code com.acme.ParserTest › parse(String) › [1] "a, b"}: summaries, suite profiles' {@code test}
 * label, titles) and its folder.
 */
record TestId(Class<?> testClass, Method method, String uniqueId, String display, Path dir) {

    static TestId of(ExtensionContext context, Path outputDir) {
        Method method = find(context, ExtensionContext::getTestMethod, "test method");
        Class<?> testClass = find(context, ExtensionContext::getTestClass, "test class");
        return new TestId(
                testClass,
                method,
                context.getUniqueId(),
                describe(context),
                outputDir.resolve(TestFolders.of(testClass, method, context.getUniqueId(), context.getDisplayName())));
    }

    String label() {
        return testClass.getName() + " › " + display;
    }

    /** The function stacks start at: the test method, or for a dynamic test (a lambda) jprof's interceptor. */
    String rootFunction() {
        return method.getDeclaringClass().getName() + "." + method.getName();
    }

    /** Display names from the test method down to this invocation: {@code parse(String) › [1] "a, b"}. */
    static String describe(ExtensionContext context) {
        List<String> names = new ArrayList<>();
        for (ExtensionContext c = context;
                c.getParent().isPresent() && !(c.getElement().orElse(null) instanceof Class);
                c = c.getParent().get()) {
            names.add(0, c.getDisplayName());
        }
        return String.join(" › ", names);
    }

    /** The test method or class; for a dynamic test, that of the {@code @TestFactory} that made it. */
    static <T> T find(ExtensionContext context, Function<ExtensionContext, Optional<T>> get, String what) {
        for (Optional<ExtensionContext> c = Optional.of(context);
                c.isPresent();
                c = c.get().getParent()) {
            Optional<T> found = get.apply(c.get());
            if (found.isPresent()) {
                return found.get();
            }
        }
        throw new ExtensionConfigurationException("jprof found no " + what + " for [" + context.getUniqueId() + "]");
    }
}
