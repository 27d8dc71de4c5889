package dev.jprof.format;

import dev.jprof.internal.Json;
import dev.jprof.profile.Frame;
import dev.jprof.profile.Profile;
import dev.jprof.profile.ProfileKind;
import dev.jprof.profile.Sample;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Profiles and helpers shared by the flame graph tests. */
final class FlameGraphFixtures {

    static final String MAIN = "com.acme.Main.main";
    static final String RUN = "com.acme.Main.run";
    static final String HOT = "com.acme.Hot.spin";
    static final String COLD_A = "com.acme.Cold.a";
    static final String COLD_B = "com.acme.Cold.b";

    private FlameGraphFixtures() {}

    /** Stacks are given root first here, for readability; the model wants them leaf first. */
    static void add(Profile.Builder b, long[] values, String... rootFirst) {
        List<Frame> stack = new ArrayList<>();
        for (int i = rootFirst.length - 1; i >= 0; i--) {
            stack.add(Frame.of(rootFirst[i]));
        }
        b.addSample(stack, values, Map.of(Sample.THREAD_LABEL, "main"));
    }

    /**
     * A CPU profile (samples, cpu ns) of 1 s where {@code Hot.spin} is 70%: main -> run -> spin 700 ms,
     * main -> run -> Cold.a 200 ms, main -> run (self) 50 ms, main -> Cold.b 50 ms.
     */
    static Profile hotProfile() {
        Profile.Builder b = Profile.builder(ProfileKind.CPU);
        for (int i = 0; i < 7; i++) {
            // the same function at different lines must merge into one frame
            b.addSample(
                    List.of(
                            new Frame(HOT, "Hot.java", 10 + i),
                            new Frame(RUN, "Main.java", 20),
                            new Frame(MAIN, "Main.java", 5)),
                    new long[] {10, 100_000_000},
                    Map.of());
        }
        add(b, new long[] {20, 200_000_000}, MAIN, RUN, COLD_A);
        add(b, new long[] {5, 50_000_000}, MAIN, RUN);
        add(b, new long[] {5, 50_000_000}, MAIN, COLD_B);
        return b.build();
    }

    /** The embedded data of a flame graph page. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> data(String html) {
        String open = "<script type=\"application/json\" id=\"jprof-data\">";
        int start = html.indexOf(open);
        int end = html.indexOf("</script>", start);
        if (start < 0 || end < 0) {
            throw new AssertionError("No embedded data in page");
        }
        return (Map<String, Object>) Json.parse(html.substring(start + open.length(), end));
    }

    /** One node of the embedded tree, decoded: depth steps summed, self values multiplied by the scales. */
    record Node(String function, int depth, long[] self) {
        @Override
        public String toString() {
            return "  ".repeat(depth) + function + " " + Arrays.toString(self);
        }
    }

    /** The nodes of the embedded data in pre-order. */
    @SuppressWarnings("unchecked")
    static List<Node> nodes(Map<String, Object> data) {
        List<Object> names = (List<Object>) data.get("names");
        List<Object> nodes = (List<Object>) data.get("nodes");
        List<Object> types = (List<Object>) data.get("types");
        int stride = 2 + types.size();
        if (nodes.size() % stride != 0) {
            throw new AssertionError("nodes has " + nodes.size() + " numbers, not a multiple of " + stride);
        }
        List<Node> result = new ArrayList<>();
        int depth = 0;
        for (int i = 0; i < nodes.size(); i += stride) {
            long[] self = new long[types.size()];
            for (int t = 0; t < self.length; t++) {
                self[t] = (Long) nodes.get(i + 2 + t) * (Long) ((List<Object>) types.get(t)).get(2);
            }
            depth += Math.toIntExact((Long) nodes.get(i + 1));
            if (depth < 0 || (i == 0) != (depth == 0)) {
                throw new AssertionError("node " + i / stride + " has depth " + depth);
            }
            result.add(new Node((String) names.get(Math.toIntExact((Long) nodes.get(i))), depth, self));
        }
        return result;
    }

    /**
     * The tree of the embedded data, one line per node in pre-order: two spaces per depth, the
     * function, then the self values, e.g. {@code "  com.acme.Main.run [5, 50000000]"}.
     */
    static List<String> tree(Map<String, Object> data) {
        return nodes(data).stream().map(Node::toString).toList();
    }

    /**
     * A CPU profile with {@code stacks} distinct stacks shaped like a real application: a few entry
     * points, shared framework prefixes 10-40 frames deep, then a fan-out into application and JDK code.
     */
    static Profile largeProfile(int stacks, long seed) {
        Random random = new Random(seed);
        List<String> pool = new ArrayList<>();
        String[] packages = {
            "com.acme.service",
            "com.acme.parser",
            "com.acme.db",
            "java.util",
            "java.util.concurrent",
            "java.lang",
            "java.io",
            "jdk.internal.misc",
            "org.junit.jupiter.engine",
            "com.fasterxml.jackson.core"
        };
        for (int i = 0; i < 1500; i++) {
            String pkg = packages[random.nextInt(packages.length)];
            pool.add(pkg + ".Class" + random.nextInt(200) + (random.nextInt(10) == 0 ? "$Inner" : "") + ".method"
                    + random.nextInt(30) + (random.nextInt(20) == 0 ? "$lambda$0" : ""));
        }
        List<List<String>> prefixes = new ArrayList<>();
        for (int p = 0; p < 40; p++) {
            List<String> prefix =
                    new ArrayList<>(List.of("java.lang.Thread.run", "org.junit.platform.Launcher.execute"));
            int len = 10 + random.nextInt(30);
            for (int i = 0; i < len; i++) {
                prefix.add(pool.get(random.nextInt(pool.size())));
            }
            prefixes.add(prefix);
        }
        Profile.Builder b = Profile.builder(ProfileKind.CPU);
        java.util.Set<List<String>> seen = new java.util.HashSet<>();
        while (seen.size() < stacks) {
            List<String> base = prefixes.get(random.nextInt(prefixes.size()));
            List<String> stack = new ArrayList<>(base.subList(0, base.size() - random.nextInt(5)));
            int tail = 1 + random.nextInt(8);
            for (int i = 0; i < tail; i++) {
                stack.add(pool.get(random.nextInt(pool.size())));
            }
            if (seen.add(stack)) {
                long count = 1 + random.nextInt(20);
                add(b, new long[] {count, count * 10_000_000}, stack.toArray(String[]::new));
            }
        }
        return b.build();
    }
}
