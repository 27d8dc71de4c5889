package dev.jprof.examples;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** A least-recently-used cache guarded by one monitor: simple, and contended under load. */
public final class LruCache<K, V> {

    private final Map<K, V> map;
    private long hits;
    private long misses;

    public LruCache(int capacity) {
        this.map = new LinkedHashMap<>(capacity * 2, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The cached value of {@code key}, computing it (while holding the lock) when absent. */
    public synchronized V get(K key, Function<K, V> load) {
        V v = map.get(key);
        if (v != null) {
            hits++;
            return v;
        }
        misses++;
        v = load.apply(key);
        map.put(key, v);
        return v;
    }

    public synchronized long hits() {
        return hits;
    }

    public synchronized long misses() {
        return misses;
    }
}
