package org.pfmeter.exporter.http;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The rendered bytes of one poll's families, kept until the next poll. The pf families of the
 * large firewall are 5.3 MB of text that cannot change between two polls; rendering them for every
 * scrape made 50 scrapers compete for the CPU with 50 renders of the same bytes. Here the first
 * scrape after a poll renders them (the others that arrive meanwhile wait for its bytes without
 * holding a handler thread) and every later scrape of that poll is answered with the same array.
 * Only the latest poll's renders are kept: at most one per key (format and compression), so the
 * memory is bounded by the number of keys times the size of one exposition.
 *
 * @param <K> what makes two renders of one poll the same bytes (format, compression)
 * @param <V> what a render gives
 */
final class SnapshotRenders<K, V> {

    /** Renders one value. */
    @FunctionalInterface
    interface Render<V> {
        V render() throws java.io.IOException;
    }

    private record Poll<K, V>(Object pin, Map<K, CompletableFuture<V>> bytes) {
    }

    private final AtomicReference<Poll<K, V>> current = new AtomicReference<>(new Poll<>(new Object(), new ConcurrentHashMap<>()));

    /**
     * The bytes of {@code key} for the poll {@code pin}: kept ones, those of a render running now (a
     * future that completes when it ends), or of a new render run on this thread (complete when this
     * returns). A failed render is not kept. Should scrapes of two polls race to replace the kept
     * poll, the loser renders without keeping.
     */
    CompletableFuture<V> get(Object pin, K key, Render<V> render) {
        Poll<K, V> poll = current.get();
        if (!poll.pin().equals(pin)) {
            Poll<K, V> fresh = new Poll<>(pin, new ConcurrentHashMap<>());
            poll = current.compareAndSet(poll, fresh) ? fresh : current.get();
            if (!poll.pin().equals(pin)) {
                return run(render);
            }
        }
        CompletableFuture<V> mine = new CompletableFuture<>();
        CompletableFuture<V> there = poll.bytes().putIfAbsent(key, mine);
        if (there != null) {
            return there;
        }
        try {
            mine.complete(render.render());
        } catch (java.io.IOException | RuntimeException | Error e) {
            mine.completeExceptionally(e);
            poll.bytes().remove(key, mine);
        }
        return mine;
    }

    private static <V> CompletableFuture<V> run(Render<V> render) {
        try {
            return CompletableFuture.completedFuture(render.render());
        } catch (java.io.IOException | RuntimeException | Error e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
