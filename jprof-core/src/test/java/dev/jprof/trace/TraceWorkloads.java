package dev.jprof.trace;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Known blocking workloads with distinct method names, for tests of what a trace shows. */
public final class TraceWorkloads {

    /** The class of the contended monitor, so that the trace names it. */
    public static final class Account {
        public synchronized void hold(long millis) throws InterruptedException {
            Thread.sleep(millis);
        }
    }

    /** What {@link #contend} measured itself, to compare with the trace. */
    public record Contention(long blockedNanos, Thread holder, Thread waiter) {}

    private TraceWorkloads() {}

    /**
     * Thread {@code holder} holds an {@link Account}'s monitor for {@code holdMillis} (sleeping inside it);
     * thread {@code waiter}, once the monitor is held, enters it and so waits for the rest of that time.
     */
    public static Contention contend(long holdMillis) throws InterruptedException {
        Account account = new Account();
        CountDownLatch held = new CountDownLatch(1);
        Thread holder = new Thread(() -> {
            synchronized (account) {
                held.countDown();
                try {
                    account.hold(holdMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, "holder");
        long[] blocked = new long[1];
        Thread waiter = new Thread(() -> {
            try {
                held.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            long t0 = System.nanoTime();
            enterAccount(account);
            blocked[0] = System.nanoTime() - t0;
        }, "waiter");
        holder.start();
        waiter.start();
        holder.join();
        waiter.join();
        return new Contention(blocked[0], holder, waiter);
    }

    static void enterAccount(Account account) {
        synchronized (account) {
            account.notifyAll();
        }
    }

    /** Parks the caller on a latch that another thread opens after {@code millis}. */
    public static void awaitLatch(long millis) throws InterruptedException {
        CountDownLatch latch = new CountDownLatch(1);
        Thread opener = new Thread(() -> {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            latch.countDown();
        }, "opener");
        opener.start();
        latch.await();
        opener.join();
    }

    /** {@code Object.wait} for {@code millis}, nobody notifying. */
    public static void waitOnMonitor(long millis) throws InterruptedException {
        Object monitor = new Object();
        synchronized (monitor) {
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            for (long left = millis; left > 0; left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())) {
                monitor.wait(left);
            }
        }
    }

    /** Writes {@code bytes} to a temporary file and reads them back. */
    public static void fileIo(int bytes) throws IOException {
        Path file = Files.createTempFile("jprof-trace-io", ".bin");
        try {
            try (OutputStream out = Files.newOutputStream(file)) {
                out.write(new byte[bytes]);
            }
            try (InputStream in = new java.io.FileInputStream(file.toFile())) {
                in.readAllBytes();
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Reads from a loopback socket whose peer answers after {@code millis}. */
    public static void socketRead(long millis) throws IOException, InterruptedException {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread peer = new Thread(() -> {
                try (Socket s = server.accept()) {
                    Thread.sleep(millis);
                    s.getOutputStream().write(42);
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }, "socket-peer");
            peer.start();
            try (Socket client = new Socket(server.getInetAddress(), server.getLocalPort())) {
                readOne(client);
            }
            peer.join();
        }
    }

    static int readOne(Socket client) throws IOException {
        return client.getInputStream().read();
    }
}
