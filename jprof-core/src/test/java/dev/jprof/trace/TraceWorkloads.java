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
     * Thread {@code holder} holds an {@link Account}'s monitor; thread {@code waiter}, once the monitor is
     * held, enters it and so blocks. The holder keeps the monitor until the waiter is seen {@code BLOCKED}
     * on it and then for {@code holdMillis} more (sleeping inside it), so the contention is certain and
     * lasts at least {@code holdMillis} however late a loaded machine schedules the waiter.
     */
    public static Contention contend(long holdMillis) throws InterruptedException {
        Account account = new Account();
        CountDownLatch held = new CountDownLatch(1);
        long[] blocked = new long[1];
        Thread waiter = new Thread(
                () -> {
                    try {
                        held.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    long t0 = System.nanoTime();
                    enterAccount(account);
                    blocked[0] = System.nanoTime() - t0;
                },
                "waiter");
        Thread holder = new Thread(
                () -> {
                    synchronized (account) {
                        held.countDown();
                        try {
                            awaitBlocked(waiter);
                            account.hold(holdMillis);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                },
                "holder");
        holder.start();
        waiter.start();
        holder.join();
        waiter.join();
        return new Contention(blocked[0], holder, waiter);
    }

    /** Returns once {@code t} is blocked entering a monitor (the only one it enters: the account's). */
    private static void awaitBlocked(Thread t) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (t.getState() != Thread.State.BLOCKED) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        t.getName() + " did not block on the account within 30 s: " + t.getState());
            }
            Thread.sleep(1);
        }
    }

    static void enterAccount(Account account) {
        synchronized (account) {
            account.notifyAll();
        }
    }

    /** Parks the caller on a latch that another thread opens after {@code millis}. */
    public static void awaitLatch(long millis) throws InterruptedException {
        CountDownLatch latch = new CountDownLatch(1);
        Thread opener = new Thread(
                () -> {
                    try {
                        Thread.sleep(millis);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    latch.countDown();
                },
                "opener");
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
            // the peer answers millis after the reader is about to read, not after it accepted: on a loaded
            // machine the reader may reach read() long after the connection is up, and would wait less
            java.util.concurrent.CountDownLatch reading = new java.util.concurrent.CountDownLatch(1);
            Thread peer = new Thread(
                    () -> {
                        try (Socket s = server.accept()) {
                            reading.await();
                            Thread.sleep(millis);
                            s.getOutputStream().write(42);
                        } catch (IOException | InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                    },
                    "socket-peer");
            peer.start();
            try (Socket client = new Socket(server.getInetAddress(), server.getLocalPort())) {
                readOne(client, reading);
            }
            peer.join();
        }
    }

    static int readOne(Socket client, java.util.concurrent.CountDownLatch reading) throws IOException {
        java.io.InputStream in = client.getInputStream();
        reading.countDown();
        return in.read();
    }
}
