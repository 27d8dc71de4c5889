package dev.jprof.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jprof.profile.Profile;
import dev.jprof.profile.Sample;
import dev.jprof.profile.ValueType;
import dev.jprof.testing.Chromium;
import dev.jprof.testing.GoPprof;
import dev.jprof.trace.Timeline;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** {@code @ProfileIO}: time blocked in file and socket reads and writes, with the bytes, by file and address. */
class IoProfileTest extends EngineTestKitBase {

    static final int FILE_BYTES = 1 << 20;
    static Path file;
    static int port;

    static class Io {
        @Test
        @ProfileIO
        void readsAFileAndTalksToALoopbackSocket() throws Exception {
            file = Files.createTempFile("jprof-io-test", ".bin");
            try {
                Files.write(file, new byte[FILE_BYTES]);
                try (InputStream in = Files.newInputStream(file)) {
                    assertThat(in.readAllBytes()).hasSize(FILE_BYTES);
                }
                try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                    port = server.getLocalPort();
                    Thread peer = new Thread(
                            () -> {
                                try (Socket s = server.accept()) {
                                    Thread.sleep(100); // the client waits for the answer in its read
                                    s.getOutputStream().write(new byte[] {1, 2, 3});
                                } catch (IOException | InterruptedException e) {
                                    throw new IllegalStateException(e);
                                }
                            },
                            "io-peer");
                    peer.start();
                    try (Socket client = new Socket(server.getInetAddress(), port)) {
                        assertThat(client.getInputStream().readNBytes(3)).hasSize(3);
                    }
                    peer.join();
                }
            } finally {
                Files.deleteIfExists(file);
            }
        }
    }

    @Test
    void writesAnIoProfileWithTheFileAndTheAddress() throws IOException {
        run(Io.class, Map.of()).testEvents().assertStatistics(s -> s.started(1).succeeded(1));
        Path dir = folder(Io.class, "readsAFileAndTalksToALoopbackSocket()");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("io.pb.gz", "io.html", "summary.json");
        }
        Profile io = Artifacts.read(dir.resolve("io.pb.gz"));
        assertThat(io.sampleTypes()).containsExactly(ValueType.BYTES, ValueType.DELAY_NANOS);
        assertThat(io.defaultSampleType()).isEqualTo("delay");
        String path = file.toString();
        long fileRead = 0;
        long fileWritten = 0;
        long socketDelay = 0;
        long socketBytes = 0;
        for (Sample s : io.samples()) {
            if (path.equals(s.label(Timeline.FILE_LABEL))) {
                if ("read".equals(s.label(Timeline.OP_LABEL))) {
                    fileRead += s.value(0);
                } else {
                    fileWritten += s.value(0);
                }
            }
            String address = s.label(Timeline.ADDRESS_LABEL);
            if (address != null && address.endsWith(":" + port) && "read".equals(s.label(Timeline.OP_LABEL))) {
                socketDelay += s.value(1);
                socketBytes += s.value(0);
                assertThat(s.label(Sample.THREAD_LABEL)).isNotEqualTo("io-peer");
            }
        }
        assertThat(fileRead).isEqualTo(FILE_BYTES);
        assertThat(fileWritten).isEqualTo(FILE_BYTES);
        assertThat(socketBytes).isEqualTo(3);
        assertThat(socketDelay)
                .as("the client's read waited for the peer's 100 ms sleep")
                .isGreaterThan(50_000_000L);

        // go tool pprof reads it, and selects by the labels
        GoPprof.Result byAddress = GoPprof.run(
                "-top",
                "-sample_index=delay",
                "-tagfocus=address=:" + port + "$",
                dir.resolve("io.pb.gz").toString());
        assertThat(byAddress.exitCode()).as(byAddress.stderr()).isZero();
        assertThat(byAddress.stdout()).contains("Type: delay");
        assertThat(GoPprof.parseTop(byAddress.stdout()).keySet())
                .anyMatch(f -> f.contains("IoProfileTest$Io.readsAFileAndTalksToALoopbackSocket"));
        GoPprof.Result bytes = GoPprof.run(
                "-traces",
                "-sample_index=bytes",
                "-tagfocus=op=read",
                dir.resolve("io.pb.gz").toString());
        assertThat(bytes.exitCode()).as(bytes.stderr()).isZero();
        assertThat(bytes.stdout()).contains("Type: bytes").contains("file:").contains(path);
        // the flame graph as a browser renders it: a frame element for the test method that waited
        String dom = Chromium.require().dumpDom(dir.resolve("io.html"));
        assertThat(dom)
                .containsPattern(
                        "<div class=\"f \\w+\" data-i=\"\\d+\" data-fn=\"[^\"]*IoProfileTest\\$Io\\.readsAFileAndTalksToALoopbackSocket\"");
    }

    static class Plain {
        @Test
        void writesAFile() throws IOException {
            Path f = Files.createTempFile("jprof-io-suite", ".bin");
            try {
                Files.write(f, new byte[4096]);
            } finally {
                Files.deleteIfExists(f);
            }
        }
    }

    @Test
    void jprofProfileIoGivesEveryTestItsIoProfile() {
        // the whole-suite mode is a launcher listener: run through the launcher, as OneRecordingTest does
        org.junit.platform.launcher.LauncherDiscoveryRequest request =
                org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request()
                        .selectors(org.junit.platform.engine.discovery.DiscoverySelectors.selectClass(Plain.class))
                        .configurationParameter("jprof.profile", "io")
                        .configurationParameter("jprof.output.dir", out.toString())
                        .build();
        org.junit.platform.launcher.listeners.SummaryGeneratingListener listener =
                new org.junit.platform.launcher.listeners.SummaryGeneratingListener();
        org.junit.platform.launcher.core.LauncherFactory.create().execute(request, listener);
        assertThat(listener.getSummary().getTestsSucceededCount()).isEqualTo(1);
        Profile io = Artifacts.read(folder(Plain.class, "writesAFile()").resolve("io.pb.gz"));
        assertThat(io.samples()).anySatisfy(s -> {
            assertThat(s.label(Timeline.OP_LABEL)).isEqualTo("write");
            assertThat(s.label(Timeline.FILE_LABEL)).contains("jprof-io-suite");
            assertThat(s.value(0)).isEqualTo(4096);
        });
    }
}
