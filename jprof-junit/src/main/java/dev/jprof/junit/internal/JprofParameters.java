package dev.jprof.junit.internal;

import dev.jprof.junit.Jprof;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;

/**
 * What {@link JprofExtension} does besides capturing: resolves {@link Jprof} parameters and checks
 * {@code @AllocationLimit}s. Run-wide state (baseline configuration and files) lives in the root
 * store under this class's namespace.
 */
final class JprofParameters {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(JprofParameters.class);

    private JprofParameters() {}

    static boolean supports(ParameterContext parameter) {
        return parameter.getParameter().getType() == Jprof.class;
    }

    static Jprof resolve(ExtensionContext context, Settings settings) {
        Optional<Class<?>> testClass = context.getTestClass();
        Optional<Method> method = context.getTestMethod();
        if (testClass.isEmpty()) {
            throw new ExtensionConfigurationException(
                    "A Jprof parameter needs a test class, but [" + context.getUniqueId() + "] has none");
        }
        Path dir = method.isPresent()
                ? settings.outputDir()
                        .resolve(TestFolders.of(
                                testClass.get(), method.get(), context.getUniqueId(), context.getDisplayName()))
                : settings.outputDir().resolve(TestFolders.safe(testClass.get().getName()));
        String name = testClass.get().getSimpleName()
                + method.map(m -> "." + m.getName() + "()").orElse("");
        return new JprofHandle(
                name,
                method.isPresent() ? TestId.label(context) : testClass.get().getName(),
                dir,
                settings.defaults(),
                JprofExtension.repeatBudget(context));
    }

    /** Checks the allocation limits of a test that passed; returns the failure, or {@code null}. */
    static Throwable verify(AllocationLimits limits, ExtensionContext context, Settings settings, TestId test)
            throws Throwable {
        if (limits == null) {
            return null;
        }
        ExtensionContext.Store store = context.getRoot().getStore(NAMESPACE);
        Baselines.Config config = store.getOrComputeIfAbsent(
                Baselines.Config.class,
                k -> Baselines.Config.from(context::getConfigurationParameter),
                Baselines.Config.class);
        Baselines baselines = store.getOrComputeIfAbsent(
                "baselines:" + config.file(), k -> Baselines.load(config.file()), Baselines.class);
        boolean sites = context.getConfigurationParameter(AllocationLimits.SITES)
                .map(String::trim)
                .filter(v -> !v.isEmpty())
                .map(v -> Settings.parseBoolean(v, AllocationLimits.SITES))
                .orElse(true);
        return limits.verify(test.dir(), config, baselines, sites);
    }
}
