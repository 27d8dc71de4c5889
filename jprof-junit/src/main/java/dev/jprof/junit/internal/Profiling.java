package dev.jprof.junit.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What every jprof annotation that captures carries: jprof's extension. Profiled tests take no lock:
 * under parallel execution each test's profile holds its own threads.
 */
@API(status = INTERNAL, since = "0.1")
@Target(ElementType.ANNOTATION_TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(JprofExtension.class)
public @interface Profiling {}
