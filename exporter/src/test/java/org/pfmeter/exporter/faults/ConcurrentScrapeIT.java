package org.pfmeter.exporter.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pfmeter.exporter.TestDaemon;

/**
 * 50 HTTP clients on loopback scrape /metrics back to back while the daemon polls (every 100 ms of
 * real time, 10 simulated seconds each, accounting into H2): every scrape answers 200 with a
 * complete exposition, latency percentiles are printed and written to
 * {@code target/scrape-report.txt}, the heap after a full GC does not grow and no thread is left
 * behind. 20 s by default; {@code -Dpfmeter.scrape.seconds=60} (and {@code -Dpfmeter.scrape.clients})
 * for exporter/README.md's documented run.
 */
class ConcurrentScrapeIT {

    private static final long HEAP_GROWTH_LIMIT = 24L << 20;

    @TempDir
    Path tmp;

    @Test
    void fiftyClientsScrapeWhilePollingContinues() throws Exception {
        int clients = Integer.getInteger("pfmeter.scrape.clients", 50);
        Duration length = Duration.ofSeconds(Long.getLong("pfmeter.scrape.seconds", 20));
        Duration warmUp = Duration.ofSeconds(3);
        Set<String> before = JvmGauges.threads(JvmGauges.NOT_TEST_HELPERS);

        AtomicLong polls = new AtomicLong();
        AtomicInteger errors = new AtomicInteger();
        ConcurrentLinkedQueue<String> firstErrors = new ConcurrentLinkedQueue<>();
        long[][] latencies = new long[clients][];
        int[] counts = new int[clients];
        long heapAfterWarmUp;
        long heapAtEnd;
        Set<String> threadsAfterWarmUp;
        Set<String> threadsAtEnd;
        double seconds;
        try (TestDaemon d = TestDaemon.start(Files.createDirectories(tmp.resolve("data")), "accounting.host = fw1\n")) {
            d.daemon.poller().pollOnce();
            ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "scraper-poll"));
            poller.scheduleAtFixedRate(() -> {
                d.clock.advance(Duration.ofSeconds(10));
                d.daemon.poller().pollOnce();
                polls.incrementAndGet();
            }, 100, 100, TimeUnit.MILLISECONDS);

            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build();
            URI uri = URI.create("http://127.0.0.1:" + d.daemon.httpPort() + "/metrics");
            AtomicInteger threadNo = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(clients, r -> new Thread(r, "scraper-" + threadNo.incrementAndGet()));
            Instant start = Instant.now();
            Instant end = start.plus(length);
            CountDownLatch done = new CountDownLatch(clients);
            for (int c = 0; c < clients; c++) {
                int me = c;
                pool.execute(() -> {
                    long[] mine = new long[1 << 16];
                    int n = 0;
                    // half the clients ask as Prometheus does (gzip), the others for plain text
                    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30));
                    HttpRequest req = (me % 2 == 0 ? b.header("Accept-Encoding", "gzip") : b).build();
                    try {
                        while (Instant.now().isBefore(end)) {
                            long t0 = System.nanoTime();
                            try {
                                HttpResponse<byte[]> r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
                                long took = System.nanoTime() - t0;
                                String problem = check(r);
                                if (problem != null) {
                                    errors.incrementAndGet();
                                    note(firstErrors, problem);
                                } else if (n < mine.length) {
                                    mine[n++] = took;
                                }
                            } catch (IOException e) {
                                errors.incrementAndGet();
                                note(firstErrors, e.toString());
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                                return;
                            }
                        }
                    } finally {
                        latencies[me] = mine;
                        counts[me] = n;
                        done.countDown();
                    }
                });
            }
            // warm-up, then the heap and threads under load; the end state once the clients stopped
            Thread.sleep(warmUp.toMillis());
            heapAfterWarmUp = JvmGauges.heapAfterGc();
            threadsAfterWarmUp = JvmGauges.threads(JvmGauges.NOT_TEST_HELPERS);
            assertThat(done.await(length.toSeconds() + 60, TimeUnit.SECONDS)).as("the clients finished").isTrue();
            seconds = Duration.between(start, Instant.now()).toMillis() / 1000.0;
            pool.shutdown();
            poller.shutdown();
            assertThat(poller.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            heapAtEnd = JvmGauges.heapAfterGc();
            threadsAtEnd = JvmGauges.threads(JvmGauges.NOT_TEST_HELPERS);
            assertThat(d.get("/-/healthy").statusCode()).isEqualTo(200);
            assertThat(d.scrape().value("pfmeter_polls_total")).contains(polls.get() + 1.0);
        }

        long[] all = merge(latencies, counts);
        String report = String.format(Locale.ROOT,
                "scrapes: %d clients for %.1f s: %d scrapes (%.0f/s), %d errors, %d polls meanwhile; latency p50 %.1f ms,"
                        + " p99 %.1f ms, max %.1f ms; heap after GC %.1f MiB after warm-up, %.1f MiB at the end; %s%n",
                clients, seconds, all.length, all.length / seconds, errors.get(), polls.get(), ms(percentile(all, 50)),
                ms(percentile(all, 99)), ms(all.length == 0 ? 0 : all[all.length - 1]), heapAfterWarmUp / 1048576.0,
                heapAtEnd / 1048576.0, Runtime.getRuntime().availableProcessors() + " CPUs");
        System.out.print(report);
        Path out = Path.of("target", "scrape-report.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);

        assertThat(errors.get()).as("failed scrapes, first ones: " + firstErrors).isZero();
        assertThat(all.length).as("scrapes").isGreaterThan(clients);
        assertThat(polls.get()).as("polls during the scrapes").isGreaterThan(length.toSeconds());
        assertThat(heapAtEnd - heapAfterWarmUp).as("heap growth in bytes after a full GC").isLessThan(HEAP_GROWTH_LIMIT);
        Set<String> added = new TreeSet<>(threadsAtEnd);
        added.removeAll(threadsAfterWarmUp);
        added.removeIf(JvmGauges.JETTY_WORKER);
        assertThat(added).as("threads started under load, other than Jetty's pool").isEmpty();
        assertThat(threadsAtEnd.stream().filter(JvmGauges.JETTY_WORKER).count()).isLessThanOrEqualTo(16);
        // once the daemon is closed, every thread it started is gone
        awaitThreads(before);
    }

    private static String check(HttpResponse<byte[]> r) throws IOException {
        if (r.statusCode() != 200) {
            return "HTTP " + r.statusCode();
        }
        byte[] body = r.body();
        if (r.headers().firstValue("Content-Encoding").filter("gzip"::equalsIgnoreCase).isPresent()) {
            try (GZIPInputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(body))) {
                body = in.readAllBytes();
            }
        }
        String text = new String(body, StandardCharsets.UTF_8);
        if (!text.contains("pfmeter_polls_total") || !text.contains("pf_label_bytes_total") || !text.endsWith("\n")) {
            return "incomplete exposition of " + text.length() + " characters";
        }
        return null;
    }

    private static void note(ConcurrentLinkedQueue<String> q, String problem) {
        if (q.size() < 5) {
            q.add(problem);
        }
    }

    private static void awaitThreads(Set<String> before) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(20);
        while (true) {
            Set<String> left = JvmGauges.threads(JvmGauges.NOT_TEST_HELPERS);
            left.removeAll(before);
            if (left.isEmpty()) {
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                assertThat(left).as("threads of the closed daemon still alive").isEmpty();
            }
            Thread.sleep(100);
        }
    }

    private static long[] merge(long[][] lat, int[] counts) {
        List<long[]> parts = new ArrayList<>();
        int total = 0;
        for (int i = 0; i < lat.length; i++) {
            parts.add(Arrays.copyOf(lat[i], counts[i]));
            total += counts[i];
        }
        long[] all = new long[total];
        int at = 0;
        for (long[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        Arrays.sort(all);
        return all;
    }

    private static long percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(i, sorted.length - 1))];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
