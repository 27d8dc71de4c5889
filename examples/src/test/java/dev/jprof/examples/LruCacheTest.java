package dev.jprof.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jprof.junit.ProfileLock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class LruCacheTest {

    /**
     * Four workers share one cache whose loader runs under its lock: they queue on the monitor.
     * target/jprof/dev.jprof.examples.LruCacheTest/sharedCacheUnderLoad()/lock.pb.gz
     */
    @Test
    @ProfileLock
    void sharedCacheUnderLoad() throws Exception {
        LruCache<Integer, String> cache = new LruCache<>(100);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                int worker = w;
                work.add(pool.submit(() -> {
                    for (int i = 0; i < 400; i++) {
                        cache.get((i * 7 + worker) % 300, LruCacheTest::render);
                    }
                }));
            }
            for (Future<?> f : work) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(cache.hits() + cache.misses()).isEqualTo(1_600);
    }

    /** An expensive value: about 0.2 ms of work. */
    private static String render(int key) {
        StringBuilder b = new StringBuilder();
        long x = key;
        for (int i = 0; i < 20_000; i++) {
            x = x * 31 + i;
        }
        return b.append(key).append(':').append(x).toString();
    }
}
