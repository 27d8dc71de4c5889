package dev.jprof.capture.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JfrConverterNamesTest {

    @Test
    void arrayClassesInJavaForm() {
        assertThat(JfrConverter.javaClassName("[B")).isEqualTo("byte[]");
        assertThat(JfrConverter.javaClassName("[[J")).isEqualTo("long[][]");
        assertThat(JfrConverter.javaClassName("[Ljava.lang.String;")).isEqualTo("java.lang.String[]");
        assertThat(JfrConverter.javaClassName("java.lang.Integer")).isEqualTo("java.lang.Integer");
    }

    @Test
    void hiddenClassIdsAreDropped() {
        assertThat(JfrConverter.stableOwner("com.acme.FooTest$$Lambda$703+0x00007f163c1930f0.629454893"))
                .isEqualTo("com.acme.FooTest$$Lambda");
        assertThat(JfrConverter.stableOwner("com.acme.FooTest$$Lambda$703.0x00007f163c1930f0"))
                .isEqualTo("com.acme.FooTest$$Lambda");
        assertThat(JfrConverter.stableOwner("com.acme.Proxy+0x0000000801234")).isEqualTo("com.acme.Proxy");
        assertThat(JfrConverter.stableOwner("com.acme.Parser$Inner")).isEqualTo("com.acme.Parser$Inner");
    }

    @Test
    void sourceFileFollowsJavacConvention() {
        assertThat(JfrConverter.sourceFile("com.acme.Parser$Inner")).isEqualTo("com/acme/Parser.java");
        assertThat(JfrConverter.sourceFile("Main")).isEqualTo("Main.java");
    }

    /** JDK 25's Thread.sleep times its jdk.ThreadSleep event on the sleeping thread: that is the recorder's work. */
    @Test
    void theRecordersInstrumentationAtTheLeafCountsForItsCaller() {
        dev.jprof.profile.Frame clock = dev.jprof.profile.Frame.of("clock_gettime");
        dev.jprof.profile.Frame counter =
                new dev.jprof.profile.Frame("jdk.jfr.internal.JVM.counterTime", "jdk/jfr/internal/JVM.java", 0);
        dev.jprof.profile.Frame timestamp = new dev.jprof.profile.Frame(
                "jdk.jfr.internal.event.EventConfiguration.timestamp",
                "jdk/jfr/internal/event/EventConfiguration.java",
                41);
        dev.jprof.profile.Frame afterSleep =
                new dev.jprof.profile.Frame("java.lang.Thread.afterSleep", "java/lang/Thread.java", 550);
        dev.jprof.profile.Frame sleep =
                new dev.jprof.profile.Frame("java.lang.Thread.sleep", "java/lang/Thread.java", 600);
        dev.jprof.profile.Frame test =
                new dev.jprof.profile.Frame("com.acme.FooTest.sleeps", "com/acme/FooTest.java", 12);
        assertThat(JfrConverter.withoutRecordersLeaf(
                        java.util.List.of(clock, counter, timestamp, afterSleep, sleep, test)))
                .containsExactly(afterSleep, sleep, test);
        assertThat(JfrConverter.withoutRecordersLeaf(java.util.List.of(timestamp, afterSleep, sleep, test)))
                .containsExactly(afterSleep, sleep, test);
        // only at the leaf end: the profiled code's own frames below a JFR frame stay
        java.util.List<dev.jprof.profile.Frame> parsing = java.util.List.of(clock, test, timestamp, afterSleep);
        assertThat(JfrConverter.withoutRecordersLeaf(parsing)).isSameAs(parsing);
        java.util.List<dev.jprof.profile.Frame> plain = java.util.List.of(clock, sleep, test);
        assertThat(JfrConverter.withoutRecordersLeaf(plain)).isSameAs(plain);
        // a stack with nothing but the recorder's frames stays whole
        java.util.List<dev.jprof.profile.Frame> recorders = java.util.List.of(clock, counter, timestamp);
        assertThat(JfrConverter.withoutRecordersLeaf(recorders)).isSameAs(recorders);
    }
}
