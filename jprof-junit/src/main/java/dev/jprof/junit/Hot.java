package dev.jprof.junit;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.jprof.junit.internal.Profiling;
import dev.jprof.profile.ProfileKind;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;

/**
 * Fails the test unless, for each pattern, a function matching it is among its top N hot functions:
 * {@code @Hot("Parser\\.parse")} — parsing is among the 5 functions with
 * the most CPU time.
 *
 * <p>The test is profiled for {@link #kind()} (no {@code @ProfileCpu} needed) and the check runs on
 * that profile after the test; the test's own failure, if any, wins. Patterns are regular
 * expressions found anywhere in the function name, as {@code pprof -focus}. The check is the same as
 * {@code assertThat(profile).hotFunctions(top).anyMatch(pattern)}: with too few samples to decide,
 * it fails with "not enough samples (N); run longer or lower the interval".
 *
 * <p>On a test method or class; repeatable, for example once per kind.
 */
@API(status = EXPERIMENTAL, since = "0.1")
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@Repeatable(Hot.List.class)
@Profiling
public @interface Hot {

    /** Regular expressions, found in function names; each must match a function among the top {@link #top()}. */
    String[] value();

    /** How many of the hottest functions are checked; default 5. */
    int top() default 5;

    /** Which profile is checked (and captured); default {@link ProfileKind#CPU}. */
    ProfileKind kind() default ProfileKind.CPU;

    /**
     * The share, in percent of the total, below which no function counts as hot; default 5. See
     * {@link dev.jprof.assertj.HotFunctionsAssert#withMinShare(double)}.
     */
    double minShare() default dev.jprof.assertj.HotFunctionsAssert.DEFAULT_MIN_SHARE;

    /** Rank by cumulative value ({@code pprof -top -cum}) instead of flat value ({@code pprof -top}). */
    boolean cumulative() default false;

    /** Several {@code @Hot} on one element. */
    @API(status = EXPERIMENTAL, since = "0.1")
    @Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
    @Retention(RetentionPolicy.RUNTIME)
    @Documented
    @Inherited
    @Profiling
    @interface List {
        Hot[] value();
    }
}
