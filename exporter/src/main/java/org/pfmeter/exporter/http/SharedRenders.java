package org.pfmeter.exporter.http;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Scrapes that arrive while an identical one is being rendered share its bytes instead of each
 * rendering the whole exposition again. Rendering the large firewall's 65,000 samples costs tens of
 * milliseconds of CPU and megabytes of allocation; 50 scrapers each rendering their own took every
 * handler thread and both cores, so scrapes and health probes ran past their timeouts. Shared, the
 * cost per round is one render whatever the number of scrapers, and a joining scrape holds no
 * handler thread while it waits. A joining scrape's answer is at most
 * one render older than the scrape, and nothing is kept once the render is handed out: the next
 * scrape renders afresh.
 *
 * @param <K> what makes two renders the same (format, compression, selected families)
 */
final class SharedRenders<K> {

    /** Renders the bytes of one answer. */
    @FunctionalInterface
    interface Render {
        byte[] render() throws IOException;
    }

    private final Map<K, CompletableFuture<byte[]>> inFlight = new ConcurrentHashMap<>();

    /**
     * The bytes of a render of {@code key} that is running now (a future that completes when it
     * ends; the caller's thread is not held meanwhile), or of a new one run on this thread (a future
     * already complete when this returns).
     */
    CompletableFuture<byte[]> get(K key, Render render) {
        CompletableFuture<byte[]> mine = new CompletableFuture<>();
        CompletableFuture<byte[]> running = inFlight.putIfAbsent(key, mine);
        if (running != null) {
            return running;
        }
        try {
            mine.complete(render.render());
        } catch (IOException | RuntimeException | Error e) {
            mine.completeExceptionally(e);
        } finally {
            inFlight.remove(key, mine);
        }
        return mine;
    }
}
