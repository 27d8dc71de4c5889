package dev.jprof.alloc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Workloads whose allocation is known exactly, on a 64-bit HotSpot JVM with compressed oops and
 * compressed class pointers (12-byte object headers, 4-byte references, 8-byte alignment).
 */
class AllocationsKnownTruthTest {

    static final int N = 10_000;
    static final Object[] SLOTS = new Object[N];
    static int next;
    static volatile Object keep;
    static long counter;

    @BeforeAll
    static void compressedOops() {
        HotSpotDiagnosticMXBean hs = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        assumeTrue(hs.getVMOption("UseCompressedOops").getValue().equals("true"), "needs compressed oops");
        assumeTrue(
                hs.getVMOption("UseCompressedClassPointers").getValue().equals("true"),
                "needs compressed class pointers");
        assumeTrue(!hs.getVMOption("ObjectAlignmentInBytes").getValue().equals("16"), "needs 8-byte alignment");
    }

    static void oneByteArray() {
        SLOTS[next] = new byte[64];
        next = (next + 1) % N;
    }

    @Test
    void tenThousandByteArraysOf64AreExactly800000BytesAnd10000Objects() throws Throwable {
        AllocationReport r = Allocations.measure(
                AllocationOptions.runs(N).withName("byte[64]").withObjects(true),
                AllocationsKnownTruthTest::oneByteArray);
        assertThat(r.totalBytes()).isEqualTo(800_000);
        assertThat(r.totalObjects()).isEqualTo(10_000);
        assertThat(r.objectOps()).isEqualTo(N);
        assertThat(r.bytesPerOp()).isEqualTo(80.0);
        assertThat(r.objectsPerOp()).isEqualTo(1.0);
        assertThat(r.exact()).isTrue();
        assertThat(r.siteSource()).isEqualTo(AllocationReport.SiteSource.EXACT);
        assertThat(r.sites()).singleElement().satisfies(s -> {
            assertThat(s.type()).isEqualTo("byte[]");
            assertThat(s.bytes()).isEqualTo(800_000);
            assertThat(s.objects()).isEqualTo(10_000);
            assertThat(s.shortStack())
                    .startsWith("AllocationsKnownTruthTest.oneByteArray(AllocationsKnownTruthTest.java:");
        });
        assertThat(r.notes()).isEmpty();
        assertThat(r.threads()).containsExactly(Thread.currentThread().getName());
        // counted on a thread of its own, a few frames deep: the cheap way, and still exact
        assertThat(r.method())
                .endsWith("objects and sites from async-profiler recording every allocation over as many runs"
                        + " on a fresh thread");
    }

    @Test
    void bytesAreCountedByDefaultAndObjectsOnlyWhenAskedFor() throws Throwable {
        AllocationReport r = Allocations.measure(N, AllocationsKnownTruthTest::oneByteArray);
        assertThat(r.totalBytes()).as(r.toString()).isEqualTo(800_000);
        assertThat(r.exact()).isTrue();
        assertThat(r.objectsCounted()).isFalse();
        assertThat(r.objectsPerOp()).isNaN();
        assertThat(r.siteSource()).isEqualTo(AllocationReport.SiteSource.NONE);
        assertThat(r.profile()).isNull();
        assertThat(r.method())
                .isEqualTo("bytes from the JVM's per-thread allocation counters (exact);"
                        + " objects not counted (AllocationOptions.withObjects(true) counts them)");
        assertThat(AllocationOptions.defaults().objects()).isFalse();
        assertThat(AllocationOptions.runs(5).withObjects(true).objects()).isTrue();
    }

    @Test
    void anOperationThatAllocatesNothingIsExactlyZeroEveryTime() throws Throwable {
        for (int i = 0; i < 5; i++) {
            AllocationReport r = Allocations.measure(N, () -> counter++);
            assertThat(r.totalBytes()).as(r.toString()).isZero();
            assertThat(r.totalObjects()).isZero();
            assertThat(r.objectsPerOp()).isZero();
            assertThat(r.siteSource()).isEqualTo(AllocationReport.SiteSource.NONE);
        }
    }

    /** ArrayList of 1,000 Integers beyond the Integer cache: the list, 1,000 Integers, and each backing array it grows through. */
    @Test
    void arrayListOfAThousandBoxedIntegers() throws Throwable {
        long arrays = 0;
        int arrayCount = 0;
        for (int capacity = 10; ; capacity += capacity >> 1) {
            arrays += align(16 + 4L * capacity);
            arrayCount++;
            if (capacity >= 1_000) {
                break;
            }
        }
        long expectedBytes = 24 + 1_000 * 16 + arrays;
        long expectedObjects = 1 + 1_000 + arrayCount;
        AllocationReport r = Allocations.measure(
                AllocationOptions.runs(200).withWarmup(2_000).withObjects(true), () -> {
                    List<Integer> list = new ArrayList<>();
                    for (int i = 1_000; i < 2_000; i++) {
                        list.add(i);
                    }
                    keep = list;
                });
        assertThat(r.bytesPerOp()).as(r.toString()).isEqualTo((double) expectedBytes);
        assertThat(r.objectsPerOp()).as(r.toString()).isEqualTo((double) expectedObjects);
        assertThat(r.method()).endsWith(" on a fresh thread");
        assertThat(r.sites())
                .extracting(AllocationSite::type)
                .contains("java.lang.Integer", "java.lang.Object[]", "java.util.ArrayList");
        assertThat(r.sites())
                .filteredOn(s -> s.type().equals("java.lang.Integer"))
                .singleElement()
                .satisfies(s -> {
                    assertThat(s.objectsPerOp()).isEqualTo(1_000.0);
                    assertThat(s.shortStack()).startsWith("Integer.valueOf <- AllocationsKnownTruthTest.lambda$");
                });
        System.out.println("ArrayList of 1,000 Integers on " + Runtime.version() + ": " + r);
    }

    static long align(long bytes) {
        return (bytes + 7) & ~7L;
    }

    // --- threads the operation starts ---------------------------------------------------------------

    static void startAndJoin(int bytes) throws InterruptedException {
        Thread t = new Thread(
                () -> {
                    if (bytes > 0) {
                        keep = new byte[bytes];
                    }
                },
                "jprof-child");
        t.start();
        t.join();
    }

    @Test
    void aThreadTheOperationStartsAndJoinsIsCounted() throws Throwable {
        AllocationReport without = Allocations.measure(AllocationOptions.runs(20), () -> startAndJoin(0));
        AllocationReport with = Allocations.measure(AllocationOptions.runs(20), () -> startAndJoin(1_000_000));
        assertThat(with.exact()).as(with.toString()).isTrue();
        assertThat(without.exact()).as(without.toString()).isTrue();
        assertThat(with.bytesPerOp() - without.bytesPerOp())
                .as(with + " / " + without)
                .isEqualTo(1_000_016.0);
        assertThat(with.objectsPerOp() - without.objectsPerOp()).isEqualTo(1.0);
        assertThat(with.threads()).contains("jprof-child");
        assertThat(with.method())
                .contains("async-profiler")
                .doesNotContain("fresh thread"); // it starts a thread: counted on the caller
    }

    @Test
    void aCountThatCannotStayOnAFreshThreadSaysWhy() throws Throwable {
        // each run starts a thread that stays alive until the end: the fresh-thread count sees it start, and says so
        java.util.List<Thread> children = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        try {
            AllocationReport r =
                    Allocations.measure(AllocationOptions.runs(1).withWarmup(0).withObjects(true), () -> {
                        Thread t = new Thread(
                                () -> {
                                    try {
                                        release.await();
                                    } catch (InterruptedException e) {
                                        Thread.currentThread().interrupt();
                                    }
                                },
                                "jprof-op-child-" + children.size());
                        children.add(t);
                        t.start();
                        keep = new byte[100];
                    });
            assertThat(r.method())
                    .as(r.toString())
                    .containsPattern(" on the calling thread, because on a fresh thread (another thread|\\d+ other"
                            + " threads) started meanwhile, still running: \\[[^\\]]*jprof-op-child-")
                    .endsWith(" (try 3 of 3)");
        } finally {
            release.countDown();
            for (Thread t : children) {
                t.join();
            }
        }
    }

    @Test
    void everyTryOfAFreshThreadCountRunsOnANewThreadWhileTheEarlierTriesThreadsStayAlive() throws Throwable {
        // HotSpot seeds the heap sampler's random steps with the address of the last thread created: a try whose
        // thread took the address of the one before would step over the very same object again. So the threads
        // of earlier tries stay parked until the last try is over, and every try's thread is at a new address.
        java.util.List<String> tries = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.List<java.util.Set<String>> aliveDuringTry = new java.util.concurrent.CopyOnWriteArrayList<>();
        Allocations.measure(AllocationOptions.runs(1).withWarmup(0).withObjects(true), () -> {
            Thread child = new Thread(() -> {}, "jprof-op-child"); // a thread started meanwhile: tried again
            child.start();
            child.join();
            String me = Thread.currentThread().getName();
            if (me.startsWith("jprof-objects-")) {
                tries.add(me);
                aliveDuringTry.add(Thread.getAllStackTraces().keySet().stream()
                        .map(Thread::getName)
                        .filter(n -> n.startsWith("jprof-objects-"))
                        .collect(java.util.stream.Collectors.toSet()));
            }
        });
        assertThat(tries).hasSize(3).doesNotHaveDuplicates();
        assertThat(aliveDuringTry.get(2))
                .as("threads alive during the last try")
                .containsAll(tries);
        assertThat(Thread.getAllStackTraces().keySet())
                .as("every try's thread has ended once the count returned")
                .extracting(Thread::getName)
                .doesNotContainAnyElementsOf(tries);
    }

    static volatile boolean go;

    /**
     * Four workers each run one task that allocates {@code bytes}; the tasks wait (spinning: parking
     * would allocate a queue node or not depending on timing) until the pool is shut down, so the
     * workers never idle and the pool allocates the same in every run.
     */
    static void executorOfFour(int bytes) throws InterruptedException {
        List<Thread> workers = new ArrayList<>(4);
        ExecutorService pool = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "executor-worker");
            workers.add(t);
            return t;
        });
        go = false;
        for (int i = 0; i < 4; i++) {
            pool.execute(() -> {
                while (!go) {
                    Thread.onSpinWait();
                }
                if (bytes > 0) {
                    keep = new byte[bytes];
                }
            });
        }
        pool.shutdown();
        go = true;
        for (Thread t : workers) {
            t.join();
        }
    }

    @Test
    void anExecutorTheOperationCreatesAndShutsDownIsCounted() throws Throwable {
        AllocationReport without = Allocations.measure(AllocationOptions.runs(20), () -> executorOfFour(0));
        AllocationReport with = Allocations.measure(AllocationOptions.runs(20), () -> executorOfFour(100_000));
        assertThat(with.exact()).as(with.toString()).isTrue();
        // the four byte[100_000] are exact; a thread pool's own bookkeeping varies a little with timing
        // (a contended lock allocates a queue node or not), hence the small tolerance
        assertThat(with.bytesPerOp() - without.bytesPerOp())
                .as(with + " / " + without)
                .isCloseTo(4 * 100_016.0, org.assertj.core.data.Offset.offset(256.0));
        assertThat(with.threads()).contains("executor-worker");
    }

    @Test
    void aThreadStillRunningAtTheEndIsCountedFromItsCounter() throws Throwable {
        List<CountDownLatch> done = new ArrayList<>();
        AllocationReport r = Allocations.measure(AllocationOptions.runs(1).withWarmup(0), () -> {
            CountDownLatch allocated = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            done.add(release);
            new Thread(
                            () -> {
                                keep = new byte[2_000_000];
                                allocated.countDown();
                                try {
                                    release.await();
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                            },
                            "jprof-lingering")
                    .start();
            allocated.await();
        });
        done.forEach(CountDownLatch::countDown);
        assertThat(r.exact()).as(r.toString()).isTrue();
        assertThat(r.threads()).contains("jprof-lingering");
        assertThat(r.totalBytes()).isGreaterThanOrEqualTo(2_000_016);
        assertThat(r.method()).startsWith("bytes from the JVM's per-thread allocation counters");
    }

    @Test
    void anotherThreadAllocatingAtTheSameTimeIsNotCounted() throws Throwable {
        CountDownLatch stop = new CountDownLatch(1);
        Thread noisy = new Thread(
                () -> {
                    while (stop.getCount() > 0) {
                        keep = new byte[1_000];
                    }
                },
                "noisy-neighbour");
        noisy.start();
        try {
            AllocationReport r = Allocations.measure(N, () -> counter++);
            assertThat(r.totalBytes()).isZero();
            assertThat(r.threads()).containsExactly(Thread.currentThread().getName());
        } finally {
            stop.countDown();
            noisy.join();
        }
    }
}
