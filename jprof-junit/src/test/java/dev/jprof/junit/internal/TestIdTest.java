package dev.jprof.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The names {@link TestId} gives a test: the one place each format is made. */
class TestIdTest {

    static class ParserTest {
        void parse(String line, int[] counts) {}

        void plain() {}
    }

    private static final String TEMPLATE =
            "[engine:junit-jupiter]/[class:ParserTest]/[test-template:parse(java.lang.String, [I)]";
    private static final String SECOND = TEMPLATE + "/[test-template-invocation:#2]";

    private static Method parse() throws NoSuchMethodException {
        return ParserTest.class.getDeclaredMethod("parse", String.class, int[].class);
    }

    @Test
    void baselineKeysHaveTheFullParameterTypesAndTheInvocation() throws NoSuchMethodException {
        assertThat(TestId.baselineKey(ParserTest.class, parse(), SECOND))
                .isEqualTo(ParserTest.class.getName() + "#parse(java.lang.String,[I)[2]");
        assertThat(TestId.baselineKey(
                        ParserTest.class,
                        ParserTest.class.getDeclaredMethod("plain"),
                        "[engine:junit-jupiter]/[class:ParserTest]/[method:plain()]"))
                .isEqualTo(ParserTest.class.getName() + "#plain()");
    }

    @Test
    void shortNamesHaveSimpleTypesAndTheInvocationsDisplayName() throws NoSuchMethodException {
        assertThat(TestId.shortName(ParserTest.class, parse(), SECOND, "[2] b, [1]"))
                .isEqualTo("ParserTest.parse(String, int[]) [2] b, [1]");
        assertThat(TestId.shortName(ParserTest.class, parse(), TEMPLATE, "parse(String, int[])"))
                .isEqualTo("ParserTest.parse(String, int[])");
    }

    @Test
    void whereNamesTheMethodOrTheClass() throws NoSuchMethodException {
        assertThat(TestId.where(parse())).isEqualTo(ParserTest.class.getName() + ".parse()");
        assertThat(TestId.where(ParserTest.class)).isEqualTo(ParserTest.class.getName());
    }

    @Test
    void displayNamesAreJoinedWithOneSeparator() {
        assertThat(TestId.display(List.of("parse(String)", "[1] \"a, b\""))).isEqualTo("parse(String) › [1] \"a, b\"");
    }
}
