package dev.jprof.junit;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.jprof.junit.internal.JprofExtension;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Registers jprof's extension without profiling anything, so that tests can take a {@link Jprof}
 * parameter. Every other jprof annotation ({@code @ProfileCpu}, {@code @AllocationLimit}...)
 * registers it too.
 */
@API(status = EXPERIMENTAL, since = "0.1")
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(JprofExtension.class)
public @interface WithJprof {}
