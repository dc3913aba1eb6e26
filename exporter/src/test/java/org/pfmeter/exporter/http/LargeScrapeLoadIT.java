package org.pfmeter.exporter.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.client.Collector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pfmeter.exporter.TestDaemon;
import org.pfmeter.pf.abi.AbiRelease;
import org.pfmeter.pf.sim.SimConfig;
import org.pfmeter.pf.sim.SimScale;

/**
 * Many scrapers of the large simulated firewall at once (issue 19: 50 of them made 45 of 345
 * requests fail): scrapes that arrive together share one render of the exposition, so every scrape
 * and every health probe is answered in time. exporter/README.md ("HTTP under attack, measured")
 * has the 50-scraper run against the jar.
 */
class LargeScrapeLoadIT {

    static final int SCRAPERS = 20;
    static final int ROUNDS = 3;
    static final Duration SCRAPE_TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void twentyScrapersAtOnceAreAllAnsweredAndShareRenders() throws Exception {
        try (TestDaemon d = TestDaemon.start(Files.createDirectories(dir.resolve("data")), "accounting.enabled = false\n",
                new SimConfig(1, AbiRelease.V8_0, SimScale.LARGE))) {
            d.daemon.poller().pollOnce();
            AtomicInteger renders = new AtomicInteger();
            d.daemon.registry().register(new Collector() {
                @Override
                public List<MetricFamilySamples> collect() {
                    renders.incrementAndGet();
                    return List.of();
                }
            });
            String base = "http://127.0.0.1:" + d.daemon.httpPort();
            ExecutorService pool = Executors.newFixedThreadPool(SCRAPERS + 1);
            CountDownLatch go = new CountDownLatch(1);
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            AtomicBoolean scraping = new AtomicBoolean(true);
            try {
                List<Future<?>> scrapers = new ArrayList<>();
                for (int i = 0; i < SCRAPERS; i++) {
                    scrapers.add(pool.submit(() -> {
                        HttpClient http = HttpClient.newBuilder().connectTimeout(SCRAPE_TIMEOUT).build();
                        go.await();
                        for (int r = 0; r < ROUNDS; r++) {
                            long start = System.nanoTime();
                            try {
                                HttpResponse<String> m = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics"))
                                        .timeout(SCRAPE_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
                                if (m.statusCode() != 200 || !m.body().contains("\npf_states ")
                                        || !m.body().contains("\npfmeter_build_info{")) {
                                    failures.add("scrape: " + m.statusCode() + ", " + m.body().length() + " characters");
                                }
                            } catch (java.io.IOException e) {
                                failures.add("scrape after " + (System.nanoTime() - start) / 1_000_000 + " ms: " + e);
                            }
                        }
                        return null;
                    }));
                }
                Future<Integer> prober = pool.submit(() -> {
                    HttpClient http = HttpClient.newBuilder().connectTimeout(HostileHttpIT.PROBE_BOUND).build();
                    go.await();
                    int probes = 0;
                    while (scraping.get()) {
                        long start = System.nanoTime();
                        try {
                            HttpResponse<String> h = http.send(HttpRequest.newBuilder(URI.create(base + "/-/healthy"))
                                    .timeout(HostileHttpIT.PROBE_BOUND).build(), HttpResponse.BodyHandlers.ofString());
                            if (h.statusCode() != 200) {
                                failures.add("health probe: " + h.statusCode());
                            }
                        } catch (java.io.IOException e) {
                            failures.add("health probe after " + (System.nanoTime() - start) / 1_000_000 + " ms: " + e);
                        }
                        probes++;
                        TimeUnit.MILLISECONDS.sleep(200);
                    }
                    return probes;
                });
                go.countDown();
                for (Future<?> f : scrapers) {
                    f.get(5, TimeUnit.MINUTES);
                }
                scraping.set(false);
                assertThat(prober.get(1, TimeUnit.MINUTES)).isPositive();
            } finally {
                scraping.set(false);
                pool.shutdownNow();
            }
            assertThat(failures).isEmpty();
            // 60 scrapes, most of them arriving while another renders: far fewer renders (before: one each)
            int scrapes = SCRAPERS * ROUNDS;
            System.out.printf("LargeScrapeLoadIT: %d scrapes, %d renders%n", scrapes, renders.get());
            assertThat(renders.get()).isLessThan(scrapes / 2);
        }
    }
}
