package dev.jprof.it.beta;

import java.util.HashMap;
import java.util.Map;

/** Counts words. */
public final class Words {

    private Words() {}

    public static Map<String, Integer> count(String text) {
        Map<String, Integer> counts = new HashMap<>();
        for (String w : text.split(" ")) {
            counts.merge(w, 1, Integer::sum);
        }
        return counts;
    }
}
