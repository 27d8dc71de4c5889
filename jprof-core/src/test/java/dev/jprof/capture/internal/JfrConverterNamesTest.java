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
        assertThat(JfrConverter.stableOwner("com.acme.FooTest$$Lambda$703.0x00007f163c1930f0")).isEqualTo("com.acme.FooTest$$Lambda");
        assertThat(JfrConverter.stableOwner("com.acme.Proxy+0x0000000801234")).isEqualTo("com.acme.Proxy");
        assertThat(JfrConverter.stableOwner("com.acme.Parser$Inner")).isEqualTo("com.acme.Parser$Inner");
    }

    @Test
    void sourceFileFollowsJavacConvention() {
        assertThat(JfrConverter.sourceFile("com.acme.Parser$Inner")).isEqualTo("com/acme/Parser.java");
        assertThat(JfrConverter.sourceFile("Main")).isEqualTo("Main.java");
    }
}
