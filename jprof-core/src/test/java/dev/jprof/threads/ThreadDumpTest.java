package dev.jprof.threads;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jprof.profile.Profile;
import dev.jprof.profile.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ThreadDumpTest {

    static final class Ledger {}

    @Test
    void showsStatesStacksAndWhoHoldsTheLockAThreadWaitsFor() throws InterruptedException {
        Ledger ledger = new Ledger();
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread owner = new Thread(() -> holdLedger(ledger, held, release), "ledger-owner");
        Thread blocked = new Thread(() -> enterLedger(ledger), "ledger-waiter");
        owner.start();
        held.await();
        blocked.start();
        try {
            // the owner may still be returning from countDown (RUNNABLE) on a loaded machine: wait for it to park
            waitUntil(() -> blocked.getState() == Thread.State.BLOCKED && owner.getState() == Thread.State.WAITING);
            ThreadDump dump = ThreadDump.take();
            String text = dump.text("heading line");
            assertThat(text).startsWith("heading line\nTaken ");
            String waiter = section(text, "ledger-waiter");
            assertThat(waiter)
                    .contains("java.lang.Thread.State: BLOCKED")
                    .contains("at " + ThreadDumpTest.class.getName() + ".enterLedger(ThreadDumpTest.java:")
                    .containsPattern("- waiting to lock <0x[0-9a-f]{8}> \\(a "
                            + Ledger.class.getName().replace("$", "\\$") + "\\) owned by \"ledger-owner\" #"
                            + owner.getId());
            String ownerSection = section(text, "ledger-owner");
            assertThat(ownerSection)
                    .contains("java.lang.Thread.State: WAITING")
                    .contains("- parking to wait for")
                    .contains("(a java.util.concurrent.CountDownLatch$Sync)")
                    .contains("- locked <")
                    .contains("(a " + Ledger.class.getName() + ")");
            assertThat(dump.deadlocked()).isEmpty();

            Profile p = dump.profile();
            assertThat(p.sampleTypes()).extracting(Object::toString).containsExactly("threads/count");
            assertThat(p.total(0)).isEqualTo(dump.threads().size());
            Sample s = p.samples().stream()
                    .filter(x -> "ledger-waiter".equals(x.label(Sample.THREAD_LABEL)))
                    .findFirst()
                    .orElseThrow();
            assertThat(s.label(ThreadDump.STATE_LABEL)).isEqualTo("BLOCKED");
            assertThat(s.stack().get(0).function()).isEqualTo(ThreadDumpTest.class.getName() + ".enterLedger");
            assertThat(s.stack().get(0).file()).isEqualTo("dev/jprof/threads/ThreadDumpTest.java");
        } finally {
            release.countDown();
            owner.join();
            blocked.join();
        }
    }

    /**
     * The JVM's Signal Dispatcher and the like run no Java code: pprof still lists every thread. Threads with
     * the same name, state and stack (two idle {@code process reaper}s, say) are one sample to pprof, as
     * goroutines are in Go's goroutine profile: its count says how many.
     */
    @Test
    void everyThreadIsListedByGoToolPprofAlsoThoseWithNoJavaFrames(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws java.io.IOException, InterruptedException {
        dev.jprof.testing.GoPprof.requireGo();
        CountDownLatch release = new CountDownLatch(1);
        List<Thread> twins = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Thread t = new Thread(() -> awaitQuietly(release), "jprof-twin");
            t.setDaemon(true);
            twins.add(t);
            t.start();
        }
        try {
            waitUntil(() -> twins.stream().allMatch(t -> t.getState() == Thread.State.WAITING));
            ThreadDump dump = ThreadDump.take();
            List<String> stackless = dump.threads().stream()
                    .filter(t -> t.getStackTrace().length == 0)
                    .map(java.lang.management.ThreadInfo::getThreadName)
                    .toList();
            assertThat(stackless).as("threads with no Java frames in this JVM").isNotEmpty();
            java.nio.file.Path file = dir.resolve("threads.pb.gz");
            dump.write(dir.resolve("threads.txt"), file, "all threads");
            dev.jprof.testing.GoPprof.Result traces = dev.jprof.testing.GoPprof.run("-traces", file.toString());
            assertThat(traces.exitCode()).as("%s", traces).isZero();
            Map<String, Long> listed = threadCounts(traces.stdout());
            Map<String, Long> expected = dump.threads().stream()
                    .collect(Collectors.groupingBy(
                            java.lang.management.ThreadInfo::getThreadName, TreeMap::new, Collectors.counting()));
            assertThat(listed)
                    .as("threads in go tool pprof -traces\n%s", traces.stdout())
                    .isEqualTo(expected);
            assertThat(listed).containsEntry("jprof-twin", 2L).containsKeys(stackless.toArray(String[]::new));
            assertThat(traces.stdout()).contains(ThreadDump.NO_JAVA_FRAMES_FUNCTION);
        } finally {
            release.countDown();
            for (Thread t : twins) {
                t.join();
            }
        }
    }

    /**
     * Thread name to thread count in {@code go tool pprof -traces}: each trace is its labels, then its value
     * in front of its first frame ({@code "         2   java.lang.Object.wait"}); a count of 1 or more
     * threads with no time unit.
     */
    static Map<String, Long> threadCounts(String traces) {
        Map<String, Long> counts = new TreeMap<>();
        String thread = null;
        for (String line : traces.lines().map(String::strip).toList()) {
            if (line.startsWith("thread:")) {
                thread = line.substring("thread:".length()).strip();
            } else if (thread != null && !line.contains(":") && !line.isEmpty()) {
                Matcher m = VALUE_THEN_FRAME.matcher(line);
                assertThat(m.matches())
                        .as("the first frame of thread %s's trace: %s", thread, line)
                        .isTrue();
                counts.merge(thread, Long.parseLong(m.group(1)), Long::sum);
                thread = null;
            }
        }
        return counts;
    }

    private static final Pattern VALUE_THEN_FRAME = Pattern.compile("(\\d+)\\s+\\S.*");

    static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void findsADeadlock() throws InterruptedException {
        ReentrantLock a = new ReentrantLock();
        ReentrantLock b = new ReentrantLock();
        CountDownLatch both = new CountDownLatch(2);
        Thread one = new Thread(() -> lockBoth(a, b, both), "deadlock-one");
        Thread two = new Thread(() -> lockBoth(b, a, both), "deadlock-two");
        one.start();
        two.start();
        try {
            // WAITING alone is not enough: each is WAITING in both.await() too, before it asks for the other lock
            waitUntil(() -> waitsFor(one, b) && waitsFor(two, a));
            ThreadDump dump = ThreadDump.take();
            assertThat(dump.deadlocked())
                    .extracting(i -> i.getThreadName())
                    .containsExactlyInAnyOrder("deadlock-one", "deadlock-two");
            assertThat(dump.text(""))
                    .contains(
                            "Found a Java-level deadlock:",
                            "\"deadlock-one\":\n  waiting for <0x",
                            "which is held by \"deadlock-two\"",
                            "Locked ownable synchronizers:");
        } finally {
            one.interrupt();
            two.interrupt();
            one.join();
            two.join();
        }
    }

    /** {@code t} is parked in {@code lock.lockInterruptibly()}, as the JVM's deadlock detection sees it. */
    static boolean waitsFor(Thread t, ReentrantLock lock) {
        Object blocker = java.util.concurrent.locks.LockSupport.getBlocker(t); // the lock's Sync, not the latch's
        return lock.hasQueuedThread(t)
                && t.getState() == Thread.State.WAITING
                && blocker != null
                && blocker.getClass().getEnclosingClass() == ReentrantLock.class;
    }

    static void lockBoth(ReentrantLock first, ReentrantLock second, CountDownLatch both) {
        first.lock();
        try {
            both.countDown();
            both.await();
            second.lockInterruptibly();
            second.unlock();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            first.unlock();
        }
    }

    static void holdLedger(Ledger ledger, CountDownLatch held, CountDownLatch release) {
        synchronized (ledger) {
            held.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static void enterLedger(Ledger ledger) {
        synchronized (ledger) {
            ledger.notifyAll();
        }
    }

    static String section(String text, String thread) {
        int start = text.indexOf("\"" + thread + "\" #");
        assertThat(start).as("thread %s in\n%s", thread, text).isNotNegative();
        int end = text.indexOf("\n\n\"", start);
        return end < 0 ? text.substring(start) : text.substring(start, end);
    }

    static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached within 10 s");
            }
            Thread.sleep(5);
        }
    }
}
