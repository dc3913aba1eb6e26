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
 */
final class SnapshotRenders<K> {

    private record Poll<K>(Object pin, Map<K, CompletableFuture<byte[]>> bytes) {
    }

    private final AtomicReference<Poll<K>> current = new AtomicReference<>(new Poll<>(new Object(), new ConcurrentHashMap<>()));

    /**
     * The bytes of {@code key} for the poll {@code pin}: kept ones, those of a render running now (a
     * future that completes when it ends), or of a new render run on this thread (complete when this
     * returns). A failed render is not kept. Should scrapes of two polls race to replace the kept
     * poll, the loser renders without keeping.
     */
    CompletableFuture<byte[]> get(Object pin, K key, SharedRenders.Render render) {
        Poll<K> poll = current.get();
        if (!poll.pin().equals(pin)) {
            Poll<K> fresh = new Poll<>(pin, new ConcurrentHashMap<>());
            poll = current.compareAndSet(poll, fresh) ? fresh : current.get();
            if (!poll.pin().equals(pin)) {
                return run(render);
            }
        }
        CompletableFuture<byte[]> mine = new CompletableFuture<>();
        CompletableFuture<byte[]> there = poll.bytes().putIfAbsent(key, mine);
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

    private static CompletableFuture<byte[]> run(SharedRenders.Render render) {
        try {
            return CompletableFuture.completedFuture(render.render());
        } catch (java.io.IOException | RuntimeException | Error e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
