package dev.jprof.junit.internal;

import dev.jprof.assertj.HotFunctionsAssert;
import dev.jprof.assertj.JprofAssertions;
import dev.jprof.assertj.ProfileAssert;
import dev.jprof.capture.CaptureResult;
import dev.jprof.capture.ProfileOptions;
import dev.jprof.capture.internal.Recorder;
import dev.jprof.internal.Evidence;
import dev.jprof.junit.Hot;
import dev.jprof.junit.NotHot;
import dev.jprof.profile.Profile;
import dev.jprof.profile.ProfileKind;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.commons.support.AnnotationSupport;

/** The checks of {@code @Hot} and {@code @NotHot}, run on a test's profiles after the test. */
final class HotChecks {

    private HotChecks() {}

    /** The kinds that {@code @Hot} and {@code @NotHot} on {@code element} need captured. */
    static Set<ProfileKind> kinds(AnnotatedElement element) {
        Set<ProfileKind> kinds = EnumSet.noneOf(ProfileKind.class);
        AnnotationSupport.findRepeatableAnnotations(element, Hot.class).forEach(h -> kinds.add(h.kind()));
        AnnotationSupport.findRepeatableAnnotations(element, NotHot.class).forEach(h -> kinds.add(h.kind()));
        return kinds;
    }

    /** Whether the test method, its class or an enclosing class declares {@code @Hot} or {@code @NotHot}. */
    static boolean declared(Class<?> testClass, Method method) {
        return TestAnnotations.outerFirst(testClass, method).stream().anyMatch(e -> !kinds(e).isEmpty());
    }

    /**
     * Runs every check declared on the test method, its class and enclosing classes.
     *
     * @return the first failed check with the others suppressed, or {@code null} when all pass
     */
    static AssertionError check(Class<?> testClass, Method method, CaptureResult result) {
        return check(testClass, method, result, kind -> null);
    }

    /**
     * As {@link #check(Class, Method, CaptureResult)}; a failure on a kind for which {@code diffPage}
     * gives a differential flame graph (with {@code jprof.compare}) links to it.
     */
    static AssertionError check(
            Class<?> testClass, Method method, CaptureResult result, Function<ProfileKind, Path> diffPage) {
        List<AssertionError> failures = new ArrayList<>();
        for (AnnotatedElement element : TestAnnotations.outerFirst(testClass, method)) {
            for (Hot h : AnnotationSupport.findRepeatableAnnotations(element, Hot.class)) {
                Check check =
                        new Check("@Hot", List.of(h.value()), h.kind(), h.top(), h.cumulative(), h.minShare(), true);
                check.run(failures, result, element, diffPage);
            }
            for (NotHot h : AnnotationSupport.findRepeatableAnnotations(element, NotHot.class)) {
                Check check = new Check(
                        "@NotHot", List.of(h.value()), h.kind(), h.top(), h.cumulative(), h.minShare(), false);
                check.run(failures, result, element, diffPage);
            }
        }
        if (failures.isEmpty()) {
            return null;
        }
        AssertionError first = failures.get(0);
        failures.subList(1, failures.size()).forEach(first::addSuppressed);
        return first;
    }

    /**
     * Lets the checks get more samples when they cannot decide: each profile of {@code result} can be
     * extended by running the test's body again (on the same instance, with the same arguments) under
     * a window with the test's {@code options}, for at most {@code budget} in all.
     */
    static void repeatable(
            CaptureResult result,
            TestBody body,
            ProfileOptions options,
            Recorder.Scope scope,
            String label,
            Duration budget) {
        for (Map.Entry<ProfileKind, Profile> e : result.profiles().entrySet()) {
            ProfileKind kind = e.getKey();
            Evidence.register(
                    e.getValue(),
                    nanos -> {
                        Recorder.Window window = Recorder.get().open(options, null, scope, label);
                        try {
                            long start = System.nanoTime();
                            do {
                                body.run();
                            } while (System.nanoTime() - start < nanos);
                        } catch (Throwable t) {
                            window.abandon();
                            throw t;
                        }
                        return window.closeAndJoin().capture().profile(kind);
                    },
                    budget,
                    "the test");
        }
    }

    /** One {@code @Hot} or {@code @NotHot}: the two annotations have the same attributes. */
    private record Check(
            String annotation,
            List<String> patterns,
            ProfileKind kind,
            int top,
            boolean cumulative,
            double minShare,
            boolean wantHot) {

        /** Checks each pattern, adding a failure to {@code failures}. */
        void run(
                List<AssertionError> failures,
                CaptureResult result,
                AnnotatedElement element,
                Function<ProfileKind, Path> diffPage) {
            for (String pattern : patterns) {
                try {
                    HotFunctionsAssert a = hot(
                                    result,
                                    kind,
                                    top,
                                    cumulative,
                                    where(annotation, element, pattern) + link(diffPage, kind))
                            .withMinShare(minShare);
                    if (wantHot) {
                        a.anyMatch(pattern);
                    } else {
                        a.noneMatch(pattern);
                    }
                } catch (AssertionError e) {
                    failures.add(e);
                }
            }
        }
    }

    private static HotFunctionsAssert hot(
            CaptureResult result, ProfileKind kind, int top, boolean cumulative, String where) {
        Profile profile = result.profiles().get(kind);
        if (profile == null) {
            throw new ExtensionConfigurationException(
                    where + " checks the " + kind.id() + " profile, which was not captured");
        }
        if (top < 1) {
            throw new ExtensionConfigurationException(where + " has top = " + top + ": it must be at least 1");
        }
        ProfileAssert a = JprofAssertions.assertThat(profile).as(where);
        return cumulative ? a.hotFunctionsByCum(top) : a.hotFunctions(top);
    }

    private static String link(Function<ProfileKind, Path> diffPage, ProfileKind kind) {
        Path page = diffPage.apply(kind);
        return page == null ? "" : "; change since the earlier run: " + page.toUri();
    }

    private static String where(String annotation, AnnotatedElement element, String pattern) {
        return annotation + "(\"" + pattern + "\") on [" + TestId.where(element) + "]";
    }
}
