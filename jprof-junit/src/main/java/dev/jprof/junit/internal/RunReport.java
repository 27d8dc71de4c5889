package dev.jprof.junit.internal;

import dev.jprof.analysis.ProfileAnalysis;
import dev.jprof.internal.AtomicFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The report of a whole run: {@code index.html} and {@code summary.json} in the output directory,
 * rebuilt from every test's {@code summary.json} found below it.
 *
 * <p>Several JVMs (Surefire forks) may share one output directory. Each writes its tests' summaries
 * as they finish, then rebuilds the report under an exclusive file lock: the last JVM to finish sees
 * every summary and writes a report that includes every test. Files are replaced atomically, so a
 * reader never sees half a report.
 *
 * <p>The run's {@code summary.json}:
 * <pre>
 * {
 *   "schema": "jprof.run-summary/1",
 *   "generatedAt": "2026-05-01T10:15:40Z",
 *   "tests": 12, "failed": 1,
 *   "kinds": {"cpu": 8, "alloc": 3, "lock": 1},     profiled tests per kind
 *   "results": [ every test summary (see TestSummary), ordered by class and test ]
 * }
 * </pre>
 */
final class RunReport {

    static final String INDEX = "index.html";
    static final String SUMMARY = "summary.json";
    static final String SCHEMA = "jprof.run-summary/1";
    private static final String LOCK = ".jprof-report.lock";
    private static final List<String> KINDS = List.of("cpu", "wall", "alloc", "lock");

    private RunReport() {}

    /**
     * Rebuilds the report of {@code outputDir}.
     *
     * @return the console line that describes it
     * @throws IOException naming the file that could not be read or written
     */
    static String write(Path outputDir) throws IOException {
        Files.createDirectories(outputDir);
        // One JVM may run several engines (and EngineTestKit runs) at once: serialize them here, other JVMs by the file lock.
        synchronized (RunReport.class) {
            try (FileChannel channel = FileChannel.open(outputDir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock lock = channel.lock()) {
                List<Map<String, Object>> tests = readSummaries(outputDir);
                Map<String, Object> run = runSummary(tests);
                byte[] json = SummaryJson.write(run).getBytes(StandardCharsets.UTF_8);
                AtomicFiles.write(outputDir.resolve(SUMMARY), out -> out.write(json));
                byte[] html = html(run, tests).getBytes(StandardCharsets.UTF_8);
                AtomicFiles.write(outputDir.resolve(INDEX), out -> out.write(html));
                return consoleLine(outputDir.resolve(INDEX), run);
            }
        }
    }

    /** Every test summary below {@code outputDir}, ordered by class, then test. Unreadable ones are skipped. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> readSummaries(Path outputDir) throws IOException {
        List<Map<String, Object>> tests = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(outputDir)) {
            files = walk.filter(p -> p.getFileName().toString().equals(TestSummary.FILE) && !p.getParent().equals(outputDir))
                    .filter(Files::isRegularFile).toList();
        }
        for (Path f : files) {
            try {
                Object o = SummaryJson.read(Files.readString(f, StandardCharsets.UTF_8));
                if (o instanceof Map<?, ?> m && TestSummary.SCHEMA.equals(m.get("schema"))) {
                    tests.add((Map<String, Object>) m);
                }
            } catch (IOException | IllegalArgumentException e) {
                // a summary being replaced right now, or not ours: the next rebuild reads it
            }
        }
        tests.sort(Comparator.comparing((Map<String, Object> m) -> String.valueOf(m.get("class")))
                .thenComparing(m -> String.valueOf(m.get("folder"))));
        return tests;
    }

    private static Map<String, Object> runSummary(List<Map<String, Object>> tests) {
        Map<String, Object> kinds = new LinkedHashMap<>();
        long failed = 0;
        for (Map<String, Object> t : tests) {
            for (String k : profiles(t).keySet()) {
                kinds.merge(k, 1L, (a, b) -> (Long) a + (Long) b);
            }
            if ("failed".equals(t.get("status"))) {
                failed++;
            }
        }
        Map<String, Object> ordered = new LinkedHashMap<>();
        KINDS.forEach(k -> {
            if (kinds.containsKey(k)) {
                ordered.put(k, kinds.get(k));
            }
        });
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("schema", SCHEMA);
        run.put("generatedAt", Instant.now().toString());
        run.put("tests", (long) tests.size());
        run.put("failed", failed);
        run.put("kinds", ordered);
        run.put("results", tests);
        return run;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> profiles(Map<String, Object> test) {
        Object p = test.get("profiles");
        return p instanceof Map<?, ?> m ? (Map<String, Map<String, Object>>) m : Map.of();
    }

    /** {@code jprof: report target/jprof/index.html — 12 profiled tests (cpu 8, alloc 3, lock 1), 1 failed}. */
    @SuppressWarnings("unchecked")
    static String consoleLine(Path index, Map<String, Object> run) {
        Path shown = index.toAbsolutePath().normalize();
        Path cwd = Path.of("").toAbsolutePath();
        if (shown.startsWith(cwd)) {
            shown = cwd.relativize(shown);
        }
        long tests = (Long) run.get("tests");
        StringBuilder b = new StringBuilder("jprof: report ").append(shown.toString().replace('\\', '/')).append(" — ")
                .append(tests).append(tests == 1 ? " profiled test" : " profiled tests");
        Map<String, Object> kinds = (Map<String, Object>) run.get("kinds");
        if (!kinds.isEmpty()) {
            List<String> parts = new ArrayList<>();
            kinds.forEach((k, v) -> parts.add(k + " " + v));
            b.append(" (").append(String.join(", ", parts)).append(')');
        }
        return b.append(", ").append(run.get("failed")).append(" failed").toString();
    }

    // --- index.html ------------------------------------------------------------------------------------

    private static String html(Map<String, Object> run, List<Map<String, Object>> tests) {
        StringBuilder rows = new StringBuilder();
        for (Map<String, Object> t : tests) {
            row(rows, t);
        }
        String title = consoleLine(Path.of(INDEX), run).replaceFirst("^jprof: report index.html — ", "");
        return PAGE.replace("@@SUMMARY@@", text(title))
                .replace("@@GENERATED@@", text(String.valueOf(run.get("generatedAt"))))
                .replace("@@ROWS@@", rows.toString());
    }

    private static void row(StringBuilder b, Map<String, Object> t) {
        Map<String, Map<String, Object>> profiles = profiles(t);
        String folder = String.valueOf(t.get("folder"));
        String status = String.valueOf(t.get("status"));
        long samples = 0;
        List<String> sampleParts = new ArrayList<>();
        for (Map.Entry<String, Map<String, Object>> e : profiles.entrySet()) {
            long n = number(e.getValue().get("samples")).longValue();
            samples += n;
            sampleParts.add(e.getKey() + " " + n);
        }
        String topFunction = "";
        double topPercent = -1;
        for (Map.Entry<String, Map<String, Object>> e : profiles.entrySet()) {
            Object top = e.getValue().get("top");
            if (top instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof Map<?, ?> first) {
                topFunction = first.get("function") + " " + ProfileAnalysis.formatPercent(number(first.get("flatPercent")).doubleValue())
                        + " (" + e.getKey() + ")";
                topPercent = number(first.get("flatPercent")).doubleValue();
                break;
            }
        }
        String alloc = "";
        long allocBytes = -1;
        if (t.get("allocations") instanceof Map<?, ?> a) {
            allocBytes = number(a.get("bytes")).longValue();
            alloc = ProfileAnalysis.formatValue(allocBytes, "bytes") + ", " + number(a.get("objects")).longValue() + " objects (sampled)";
        }
        b.append("<tr class=\"").append(attr(status)).append("\">");
        cell(b, String.valueOf(t.get("class")), null);
        cell(b, String.valueOf(t.get("test")), null);
        cell(b, String.join(" ", profiles.keySet()), null);
        cell(b, String.join(", ", sampleParts), Long.toString(samples));
        cell(b, topFunction, String.format(Locale.ROOT, "%.4f", topPercent));
        cell(b, alloc, Long.toString(allocBytes));
        long nanos = number(t.get("durationNanos")).longValue();
        cell(b, ProfileAnalysis.formatValue(nanos, "nanoseconds"), Long.toString(nanos));
        b.append("<td class=\"status\"");
        if (t.get("failure") != null) {
            b.append(" title=\"").append(attr(String.valueOf(t.get("failure")))).append('"');
        }
        b.append('>').append(text(status)).append("</td><td class=\"files\">");
        for (Map.Entry<String, Map<String, Object>> e : profiles.entrySet()) {
            link(b, folder, String.valueOf(e.getValue().get("flameGraph")), e.getKey() + " flame graph");
            link(b, folder, String.valueOf(e.getValue().get("pprof")), e.getKey() + ".pb.gz");
        }
        link(b, folder, TestSummary.FILE, "summary.json");
        b.append("</td></tr>\n");
    }

    private static Number number(Object o) {
        return o instanceof Number n ? n : 0L;
    }

    private static void cell(StringBuilder b, String content, String sortKey) {
        b.append("<td");
        if (sortKey != null) {
            b.append(" data-sort=\"").append(attr(sortKey)).append('"');
        }
        b.append('>').append(text(content)).append("</td>");
    }

    private static void link(StringBuilder b, String folder, String file, String label) {
        b.append("<a href=\"").append(attr(href(folder + "/" + file))).append("\">").append(text(label)).append("</a> ");
    }

    /** A relative URL for a '/'-separated path: every segment percent-encoded as UTF-8, but for unreserved characters. */
    static String href(String path) {
        StringBuilder b = new StringBuilder();
        for (byte x : path.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~/()$!,;=@".indexOf(c) >= 0) {
                b.append((char) c);
            } else {
                b.append('%').append(String.format("%02X", c));
            }
        }
        // a first segment with ':' would read as a scheme; ':' is encoded above, and so is nothing else needed
        return b.toString();
    }

    private static String text(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(c -> {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> {
                    if (c < 0x20 && c != '\n' && c != '\t') {
                        b.append("&#xfffd;");
                    } else {
                        b.appendCodePoint(c);
                    }
                }
            }
        });
        return b.toString();
    }

    private static String attr(String s) {
        return text(s);
    }

    private static final String PAGE = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>jprof report</title>
            <style>
            body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 1.5em; color: #222; }
            h1 { font-size: 1.3em; margin: 0 0 .2em; }
            .meta { color: #666; margin-bottom: 1em; }
            input { font: inherit; padding: .3em .5em; width: 28em; max-width: 100%; }
            table { border-collapse: collapse; margin-top: 1em; width: 100%; }
            th, td { border-bottom: 1px solid #ddd; padding: .35em .6em; text-align: left; vertical-align: top; }
            th { background: #f4f4f4; cursor: pointer; user-select: none; white-space: nowrap; }
            th.asc::after { content: " \\25B2"; } th.desc::after { content: " \\25BC"; }
            td { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 12.5px; }
            tr.failed td.status { color: #b00020; font-weight: bold; }
            tr.aborted td.status { color: #a66b00; }
            tr.passed td.status { color: #1b7f3b; }
            td.files a { margin-right: .5em; white-space: nowrap; }
            #count { margin-left: 1em; color: #666; }
            </style>
            </head>
            <body>
            <h1>jprof report</h1>
            <div class="meta" id="summary">@@SUMMARY@@ &middot; generated @@GENERATED@@</div>
            <input id="filter" type="search" placeholder="Filter: class, test, kind, function, status..." aria-label="Filter rows">
            <span id="count"></span>
            <table id="tests">
            <thead><tr>
            <th data-type="text">Class</th><th data-type="text">Test</th><th data-type="text">Kinds</th>
            <th data-type="number">Samples</th><th data-type="number">Top function (flat)</th>
            <th data-type="number">Allocations</th><th data-type="number">Duration</th>
            <th data-type="text">Status</th><th data-type="none">Files</th>
            </tr></thead>
            <tbody>
            @@ROWS@@</tbody>
            </table>
            <script>
            (function () {
              var table = document.getElementById('tests');
              var body = table.tBodies[0];
              var filter = document.getElementById('filter');
              var count = document.getElementById('count');
              function key(row, i) {
                var cell = row.cells[i];
                return cell.hasAttribute('data-sort') ? cell.getAttribute('data-sort') : cell.textContent;
              }
              function update() {
                var words = filter.value.toLowerCase().split(/\\s+/).filter(Boolean);
                var shown = 0;
                Array.prototype.forEach.call(body.rows, function (row) {
                  var text = row.textContent.toLowerCase();
                  var visible = words.every(function (w) { return text.indexOf(w) >= 0; });
                  row.style.display = visible ? '' : 'none';
                  if (visible) { shown++; }
                });
                count.textContent = shown + ' of ' + body.rows.length + ' tests';
              }
              Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, i) {
                var type = th.getAttribute('data-type');
                if (type === 'none') { return; }
                th.addEventListener('click', function () {
                  var asc = !th.classList.contains('asc');
                  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (h) { h.classList.remove('asc', 'desc'); });
                  th.classList.add(asc ? 'asc' : 'desc');
                  var rows = Array.prototype.slice.call(body.rows);
                  rows.sort(function (a, b) {
                    var x = key(a, i), y = key(b, i);
                    var c = type === 'number' ? parseFloat(x) - parseFloat(y) : x.localeCompare(y);
                    return asc ? c : -c;
                  });
                  rows.forEach(function (r) { body.appendChild(r); });
                });
              });
              filter.addEventListener('input', update);
              var q = decodeURIComponent((location.hash.match(/filter=([^&]*)/) || [])[1] || '');
              if (q) { filter.value = q; }
              update();
            })();
            </script>
            </body>
            </html>
            """;
}
