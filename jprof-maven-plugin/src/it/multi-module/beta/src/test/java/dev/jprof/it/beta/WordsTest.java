package dev.jprof.it.beta;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class WordsTest {

    @Test
    void countsWords() {
        String text = "the quick brown fox jumps over the lazy dog ".repeat(2_000);
        int total = 0;
        for (int i = 0; i < 60; i++) {
            total += Words.count(text).get("the");
        }
        assertEquals(60 * 4_000, total);
    }
}
