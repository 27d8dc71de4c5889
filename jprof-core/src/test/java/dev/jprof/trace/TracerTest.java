package dev.jprof.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.jprof.capture.Workloads;
import dev.jprof.profile.Profile;
import dev.jprof.profile.Sample;
import dev.jprof.testing.Parking;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

class TracerTest {

    static final String ACCOUNT = TraceWorkloads.Account.class.getName();

    @Test
    void monitorContentionIsABlockedSliceOnTheWaitingThreadLastingAsLongAsTheWait() throws Throwable {
        TraceWorkloads.Contention[] c = new TraceWorkloads.Contention[1];
        Timeline t = Tracer.trace(() -> c[0] = TraceWorkloads.contend(200));
        long measured = c[0].blockedNanos();
        // the waiter measured its own wait around the synchronized block: the holder slept 200 ms
        // inside it, minus the moment between opening the latch and the waiter trying to enter
        assertThat(measured).isBetween(150_000_000L, 2_000_000_000L);

        TraceThread waiter = t.requireThread("waiter");
        assertThat(waiter.test()).as("started by the test's thread").isTrue();
        assertThat(t.requireThread("holder").test()).isTrue();
        List<Slice> blocked = t.monitorContention(ACCOUNT);
        assertThat(blocked)
                .as("contention on Account: %s", blocked)
                .singleElement()
                .satisfies(s -> {
                    assertThat(s.thread()).isEqualTo(waiter);
                    // JFR times the enter itself; the waiter's own clock also covers the calls around it:
                    // on a loaded machine those may take some milliseconds, hence 20 ms
                    assertThat(s.durationNanos()).isCloseTo(measured, within(20_000_000L));
                    assertThat(s.stack())
                            .extracting(f -> f.function())
                            .contains(TraceWorkloads.class.getName() + ".enterAccount");
                });
        assertThat(t.time(waiter, SliceKind.BLOCKED).toNanos()).isCloseTo(measured, within(20_000_000L));
        assertThat(t.time("holder", SliceKind.SLEEPING)).isGreaterThanOrEqualTo(Duration.ofMillis(195));
        assertThat(t.longest(SliceKind.BLOCKED)).get().isEqualTo(blocked.get(0));
        assertThat(t.monitorContention("java.lang.String")).isEmpty();
    }

    @Test
    void everyKindOfWaitLandsOnItsThread() throws Throwable {
        Timeline t = Tracer.trace(() -> {
            TraceWorkloads.awaitLatch(100);
            TraceWorkloads.waitOnMonitor(60);
            Thread.sleep(40);
            TraceWorkloads.fileIo(1 << 20);
            TraceWorkloads.socketRead(80);
            System.gc();
            Workloads.spinCpuTime(300);
        });
        String me = Thread.currentThread().getName();
        assertThat(t.threads().get(0).name()).isEqualTo(me);
        // durations are at least what the code waited for; an overloaded machine may add to them
        assertThat(t.time(me, SliceKind.PARKED)).isGreaterThanOrEqualTo(Duration.ofMillis(95));
        assertThat(t.slices(t.requireThread(me), SliceKind.PARKED))
                .anyMatch(s -> s.detail().contains("CountDownLatch"));
        assertThat(t.time(me, SliceKind.WAITING)).isGreaterThanOrEqualTo(Duration.ofMillis(55));
        assertThat(t.time(me, SliceKind.SLEEPING)).isGreaterThanOrEqualTo(Duration.ofMillis(38));
        assertThat(t.slices(t.requireThread(me), SliceKind.FILE_WRITE))
                .anyMatch(s -> s.detail().contains("jprof-trace-io"));
        assertThat(t.slices(t.requireThread(me), SliceKind.FILE_READ))
                .anyMatch(s -> s.detail().contains("jprof-trace-io"));
        assertThat(t.slices(t.requireThread(me), SliceKind.SOCKET_READ)).anySatisfy(s -> {
            assertThat(s.durationNanos()).isGreaterThanOrEqualTo(75_000_000L);
            assertThat(s.stack()).extracting(f -> f.function()).contains(TraceWorkloads.class.getName() + ".readOne");
        });
        assertThat(t.slices(SliceKind.GC_PAUSE))
                .isNotEmpty()
                .allSatisfy(s -> assertThat(s.thread()).isNull());
        assertThat(t.gcPauseTime()).isPositive();
        // running slices come from JFR's samples, every 10 ms at best; a loaded machine delays JFR's
        // sampler thread, so only some of the 300 ms of spinning is required to show
        assertThat(t.time(me, SliceKind.RUNNING)).isGreaterThanOrEqualTo(Duration.ofMillis(10));
        assertThat(t.slices(t.requireThread(me), SliceKind.RUNNING))
                .anyMatch(s -> s.stack().stream().anyMatch(f -> f.function().endsWith("Workloads.spinCpuTime")));
        assertThat(t.requireThread("opener").test()).isTrue();
        // every slice lies within the trace
        assertThat(t.slices()).allSatisfy(s -> {
            assertThat(s.startNanos()).isNotNegative();
            assertThat(s.endNanos()).isLessThanOrEqualTo(t.durationNanos());
        });
        // slices of one thread other than running ones do not overlap running ones
        for (TraceThread thread : t.threads()) {
            List<Slice> running = t.slices(thread, SliceKind.RUNNING);
            for (Slice s : t.slices(thread)) {
                if (s.kind() != SliceKind.RUNNING) {
                    assertThat(running)
                            .noneMatch(r -> r.startNanos() < s.startNanos() && r.endNanos() > s.startNanos());
                }
            }
        }
    }

    /**
     * Regression: a thread the test starts that only computes has running samples but no other slice;
     * reading the trace then sorted an immutable empty list and failed with
     * UnsupportedOperationException.
     */
    @Test
    void aThreadTheTestStartsThatOnlyComputesIsShownRunning() throws Throwable {
        Workloads.spinCpuTime(1); // loaded here, so that the thread does not read class files
        Runnable crunch = () -> Workloads.spinCpuTime(300);
        Timeline t = Tracer.trace(() -> {
            Thread cruncher = new Thread(crunch, "cruncher");
            cruncher.start();
            cruncher.join();
        });
        TraceThread cruncher = t.requireThread("cruncher");
        assertThat(cruncher.test()).as("started by the test's thread").isTrue();
        assertThat(t.slices(cruncher))
                .as("only running slices: the thread never waited")
                .isNotEmpty()
                .allSatisfy(s -> assertThat(s.kind()).isEqualTo(SliceKind.RUNNING));
        assertThat(t.slices(cruncher, SliceKind.RUNNING))
                .anyMatch(s -> s.stack().stream().anyMatch(f -> f.function().endsWith("Workloads.spinCpuTime")));
    }

    @Test
    void threadsNotStartedByTheTestAreInTheTimelineMarkedAsNotTheTests() throws Throwable {
        CountDownLatch go = new CountDownLatch(1);
        Thread earlier = new Thread(
                () -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    Parking.parkAtLeast(50);
                },
                "started-earlier");
        earlier.start();
        Timeline t = Tracer.trace(() -> {
            go.countDown();
            earlier.join();
        });
        TraceThread other = t.requireThread("started-earlier");
        assertThat(other.test()).isFalse();
        assertThat(t.time(other, SliceKind.PARKED)).isGreaterThanOrEqualTo(Duration.ofMillis(45));
        assertThat(t.testThreads())
                .extracting(TraceThread::name)
                .containsExactly(Thread.currentThread().getName());
        assertThat(t.threads())
                .noneMatch(th -> th.name().startsWith("JFR ") || th.name().equals("jprof-worker"));
    }

    @Test
    void blockProfileHoldsEveryWaitForAnotherThreadButNotSleepOrIo() throws Throwable {
        TraceWorkloads.Contention[] c = new TraceWorkloads.Contention[1];
        Timeline t = Tracer.trace(TraceOptions.of(SliceKind.BLOCKED, SliceKind.WAITING, SliceKind.PARKED), () -> {
            c[0] = TraceWorkloads.contend(120);
            TraceWorkloads.awaitLatch(80);
            Thread.sleep(50);
        });
        assertThat(t.slices(SliceKind.SLEEPING, SliceKind.RUNNING))
                .as("not recorded")
                .isEmpty();
        Profile block = t.blockProfile();
        assertThat(block.sampleTypes())
                .extracting(Object::toString)
                .containsExactly("contentions/count", "delay/nanoseconds");
        // as long as the waiter itself measured (20 ms tolerance: see the test above)
        assertThat(delay(block, TraceWorkloads.class.getName() + ".enterAccount"))
                .isCloseTo(c[0].blockedNanos(), within(20_000_000L));
        assertThat(delay(block, TraceWorkloads.class.getName() + ".awaitLatch")).isGreaterThanOrEqualTo(75_000_000L);
        assertThat(block.samples()).anyMatch(s -> ACCOUNT.equals(s.label(Timeline.OBJECT_LABEL)));
        assertThat(delay(block, "java.lang.Thread.sleep")).isZero();
        assertThat(block.comments()).contains("profile=block");
    }

    /** Surefire's channel threads park all the time: a block profile holds the test's waits, not theirs. */
    @Test
    void theJvmsAndTheRunnersThreadsAreLeftOut() throws Throwable {
        CountDownLatch stop = new CountDownLatch(1);
        Thread flusher = new Thread(
                () -> {
                    while (stop.getCount() > 0) {
                        LockSupport.parkNanos(2_000_000);
                    }
                },
                "surefire-forkedjvm-stream-flusher");
        flusher.setDaemon(true);
        flusher.start();
        try {
            Timeline t = Tracer.trace(
                    TraceOptions.of(SliceKind.BLOCKED, SliceKind.WAITING, SliceKind.PARKED),
                    () -> TraceWorkloads.awaitLatch(60));
            assertThat(t.threads()).extracting(TraceThread::name).doesNotContain("surefire-forkedjvm-stream-flusher");
            assertThat(t.blockProfile().samples())
                    .isNotEmpty()
                    .noneMatch(s -> "surefire-forkedjvm-stream-flusher".equals(s.label(Sample.THREAD_LABEL)));
        } finally {
            stop.countDown();
            flusher.join();
        }
    }

    static long delay(Profile p, String function) {
        return p.samples().stream()
                .filter(s -> s.stack().stream().anyMatch(f -> f.function().equals(function)))
                .mapToLong(s -> s.value(1))
                .sum();
    }

    @Test
    void stacksStartAtTheRootFunction() throws Throwable {
        Timeline t = Tracer.trace(
                TraceOptions.all().withRootFunctions(List.of(TraceWorkloads.class.getName() + ".awaitLatch")),
                () -> TraceWorkloads.awaitLatch(30));
        Slice park = t.slices(t.requireThread(Thread.currentThread().getName()), SliceKind.PARKED)
                .get(0);
        assertThat(park.stack().get(park.stack().size() - 1).function())
                .isEqualTo(TraceWorkloads.class.getName() + ".awaitLatch");
        assertThat(park.stack()).noneMatch(f -> f.function().startsWith("dev.jprof.trace.TracerTest"));
        assertThat(t.blockProfile().samples())
                .allSatisfy(s -> assertThat(s.label(Sample.THREAD_LABEL)).isNotNull());
    }
}
