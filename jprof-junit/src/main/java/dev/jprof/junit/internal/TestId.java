package dev.jprof.junit.internal;

import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test invocation as jprof names it everywhere, computed once: its class, method, JUnit unique id,
 * display name from the method down ({@code parse(String) › [1] "a, b"}), its label
 * ({@code com.acme.ParserTest › parse(String) › [1] "a, b"}: summaries, suite profiles' {@code test}
 * label, titles) and its folder. Every name jprof gives a test is made here: the label, the short name
 * of messages ({@link #shortName}), the baseline key ({@link #baselineKey}) and where an annotation
 * sits ({@link #where}).
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

    /** Between the levels of a test's name: {@code com.acme.ParserTest › parse(String) › [1] "a, b"}. */
    static final String SEPARATOR = " › ";

    String label() {
        return testClass.getName() + SEPARATOR + display;
    }

    /** The {@link #label()} of the test {@code context} runs, without computing its folder. */
    static String label(ExtensionContext context) {
        return find(context, ExtensionContext::getTestClass, "test class").getName() + SEPARATOR + describe(context);
    }

    /** Display names from the test method down, joined: {@code parse(String) › [1] "a, b"}. */
    static String display(List<String> names) {
        return String.join(SEPARATOR, names);
    }

    /**
     * The test's name in messages: {@code ParserTest.parse()}, with the invocation for templates:
     * {@code ParserTest.parse(String) [2] b}.
     *
     * @param displayName the invocation's display name, for example {@code [2] b}
     */
    static String shortName(Class<?> testClass, Method method, String uniqueId, String displayName) {
        String params = Arrays.stream(method.getParameterTypes())
                .map(Class::getSimpleName)
                .collect(Collectors.joining(", "));
        String base = testClass.getSimpleName() + "." + method.getName() + "(" + params + ")";
        return TestFolders.invocationIndex(uniqueId).isEmpty() ? base : base + " " + displayName;
    }

    /** The test's key in a baseline file: {@code com.acme.ParserTest#parse(java.lang.String)[2]}. */
    static String baselineKey(Class<?> testClass, Method method, String uniqueId) {
        String params =
                Arrays.stream(method.getParameterTypes()).map(Class::getName).collect(Collectors.joining(","));
        String index = TestFolders.invocationIndex(uniqueId);
        return testClass.getName() + "#" + method.getName() + "(" + params + ")"
                + (index.isEmpty() ? "" : "[" + index + "]");
    }

    /**
     * Where an annotation sits, in configuration errors and failures: {@code com.acme.ParserTest.parse()}
     * for a method, {@code com.acme.ParserTest} for a class.
     */
    static String where(AnnotatedElement element) {
        return element instanceof Method m
                ? m.getDeclaringClass().getName() + "." + m.getName() + "()"
                : element instanceof Class<?> c ? c.getName() : String.valueOf(element);
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
        return display(names);
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
