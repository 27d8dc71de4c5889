package dev.jprof.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses access log lines such as
 * {@code 203.0.113.9 - - [25/Nov/2026:10:15:32 +0000] "GET /users/42 HTTP/1.1" 200 512 17ms}.
 */
public final class AccessLogParser {

    private static final Pattern LINE =
            Pattern.compile("(\\S+) \\S+ \\S+ \\[([^\\]]+)] \"(\\S+) (\\S+) \\S+\" (\\d{3}) (\\d+) (\\d+)ms");

    /** One parsed request. */
    public record Request(String client, String method, String path, int status, long bytes, long millis) {}

    /** Parses every line; lines that do not match are counted, not thrown. */
    public Result parseAll(List<String> lines) {
        List<Request> requests = new ArrayList<>(lines.size());
        int rejected = 0;
        for (String line : lines) {
            Request r = parseLine(line);
            if (r == null) {
                rejected++;
            } else {
                requests.add(r);
            }
        }
        return new Result(requests, rejected);
    }

    /** The requests that parsed, and how many lines did not. */
    public record Result(List<Request> requests, int rejected) {}

    /** Parses one line, or returns {@code null} when it is not an access log line. */
    public Request parseLine(String line) {
        Matcher m = LINE.matcher(line);
        if (!m.matches()) {
            return null;
        }
        return new Request(
                m.group(1),
                m.group(3),
                m.group(4),
                Integer.parseInt(m.group(5)),
                Long.parseLong(m.group(6)),
                Long.parseLong(m.group(7)));
    }
}
