package dev.jprof.junit.internal;

import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.platform.commons.support.AnnotationSupport;

/** Where jprof looks for its annotations: the test method, its class and the classes enclosing a {@code @Nested} class. */
final class TestAnnotations {

    private TestAnnotations() {}

    /** The outermost enclosing class first, then inner classes, then the method. */
    static List<AnnotatedElement> outerFirst(Class<?> testClass, Method method) {
        List<AnnotatedElement> elements = new ArrayList<>();
        for (Class<?> c = testClass;
                c != null;
                c = c.isMemberClass() && !Modifier.isStatic(c.getModifiers()) ? c.getEnclosingClass() : null) {
            elements.add(0, c);
        }
        elements.add(method);
        return elements;
    }

    /** The annotation on the method, else on its class, else on the classes enclosing a {@code @Nested} class. */
    static <A extends Annotation> Optional<A> nearest(Class<?> testClass, Method method, Class<A> type) {
        List<AnnotatedElement> elements = outerFirst(testClass, method);
        for (int i = elements.size() - 1; i >= 0; i--) {
            Optional<A> a = AnnotationSupport.findAnnotation(elements.get(i), type);
            if (a.isPresent()) {
                return a;
            }
        }
        return Optional.empty();
    }
}
