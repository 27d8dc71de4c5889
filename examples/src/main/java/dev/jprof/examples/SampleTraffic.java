package dev.jprof.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Generates realistic access log lines, deterministically. */
public final class SampleTraffic {

    private static final String[] PATHS = {"/users/%d", "/users/%d/orders", "/orders/%d", "/health", "/search"};
    private static final String[] METHODS = {"GET", "GET", "GET", "POST", "PUT"};
    private static final int[] STATUSES = {200, 200, 200, 200, 201, 304, 404, 500};

    private SampleTraffic() {}

    /** {@code n} log lines from a fixed seed. */
    public static List<String> lines(int n) {
        Random random = new Random(42);
        List<String> lines = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String path = String.format(PATHS[random.nextInt(PATHS.length)], random.nextInt(10_000));
            lines.add("203.0.113." + random.nextInt(256) + " - - [25/Nov/2026:10:15:" + (10 + random.nextInt(50))
                    + " +0000] \"" + METHODS[random.nextInt(METHODS.length)] + " " + path + " HTTP/1.1\" "
                    + STATUSES[random.nextInt(STATUSES.length)] + " " + random.nextInt(10_000) + " "
                    + random.nextInt(300) + "ms");
        }
        return lines;
    }
}
