package dev.jprof.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Routes request paths such as {@code /users/42} to handlers registered for {@code /users/{id}}. */
public final class Router {

    // The code the examples measure, written as an application would be: its allocations and hot frames
    // are what the README and the benchmarks show, so it stays as it is.
    @SuppressWarnings("ArrayRecordComponent") // never compared or hashed
    private record Route(String[] segments, Function<Map<String, String>, String> handler) {}

    private final List<Route> routes = new ArrayList<>();

    /** Registers {@code handler} for {@code template}; {@code {name}} segments capture path parameters. */
    public Router add(String template, Function<Map<String, String>, String> handler) {
        routes.add(new Route(template.substring(1).split("/"), handler));
        return this;
    }

    /** The handler's response for {@code path}, or {@code "404"}. */
    public String route(String path) {
        String[] parts = path.substring(1).split("/");
        for (Route r : routes) {
            Map<String, String> params = match(r.segments, parts);
            if (params != null) {
                return r.handler.apply(params);
            }
        }
        return "404";
    }

    private static Map<String, String> match(String[] template, String[] parts) {
        if (template.length != parts.length) {
            return null;
        }
        Map<String, String> params = new java.util.HashMap<>();
        for (int i = 0; i < template.length; i++) {
            String t = template[i];
            if (t.startsWith("{") && t.endsWith("}")) {
                params.put(t.substring(1, t.length() - 1), parts[i]);
            } else if (!t.equals(parts[i])) {
                return null;
            }
        }
        return params;
    }

    /** {@code /users/{n}} for {@code /users/42}: numeric segments become a placeholder. */
    @SuppressWarnings("StringSplitter") // an empty last segment is dropped on purpose: "/users/" is "/users"
    public static String normalize(String path) {
        StringBuilder b = new StringBuilder(path.length());
        for (String part : path.substring(1).split("/")) {
            b.append('/');
            b.append(!part.isEmpty() && part.chars().allMatch(Character::isDigit) ? "{n}" : part);
        }
        return b.toString();
    }
}
