package org.pfmeter.exporter.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.client.Collector;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.CounterMetricFamily;
import io.prometheus.client.GaugeMetricFamily;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pfmeter.exporter.config.HostPort;

/**
 * /metrics renders the poll's families once per poll: scrapes between two polls cost one render of
 * that part and get the same bytes for it, while the families that change per scrape are rendered
 * on each; a new poll renders it again. On a real Jetty with a registry as the daemon builds it
 * (the poll's collector and a per-scrape one both registered).
 */
class OncePerPollTest {

    static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    /** The poll's families: a function of the poll number alone; counts its renders. */
    final AtomicReference<Integer> poll = new AtomicReference<>(1);
    final AtomicInteger pollRenders = new AtomicInteger();
    final AtomicInteger scrapes = new AtomicInteger();
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpServer server;

    static List<Collector.MetricFamilySamples> pollFamilies(int poll) {
        GaugeMetricFamily states = new GaugeMetricFamily("pf_states", "States.", List.of("af"));
        CounterMetricFamily bytes = new CounterMetricFamily("pf_interface_bytes", "Bytes.", List.of("interface"));
        for (int i = 0; i < 200; i++) {
            states.addMetric(List.of("inet" + i), poll * 1000 + i);
            bytes.addMetric(List.of("em" + i), poll * 7 + i);
        }
        return List.of(states, bytes);
    }

    @BeforeEach
    void start() throws Exception {
        CollectorRegistry registry = new CollectorRegistry();
        // registered like PfMetrics: a name[] selection reads it from the registry
        final class PollCollector extends Collector implements Collector.Describable {
            @Override
            public List<MetricFamilySamples> collect() {
                pollRenders.incrementAndGet();
                return pollFamilies(poll.get());
            }

            @Override
            public List<MetricFamilySamples> describe() {
                return pollFamilies(0);
            }
        }
        PollCollector pf = new PollCollector();
        registry.register(pf);
        new Collector() {
            @Override
            public List<MetricFamilySamples> collect() {
                return List.of(new GaugeMetricFamily("pfmeter_scrapes", "Scrapes so far.", scrapes.incrementAndGet()));
            }
        }.register(registry);
        server = new HttpServer(new HostPort("127.0.0.1", 0), registry, () -> true, "1", "test", Optional.empty(),
                Optional.empty(), HttpLimits.DEFAULTS);
        server.renderOncePerPoll(new SnapshotFamilies() {
            @Override
            public Object pin() {
                return poll.get();
            }

            @Override
            public List<Collector.MetricFamilySamples> collect(Object pin) {
                pollRenders.incrementAndGet();
                return pollFamilies((Integer) pin);
            }

            @Override
            public Set<String> familyNames() {
                return Set.of("pf_states", "pf_interface_bytes");
            }
        });
        server.start();
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    String scrape(String accept, boolean gzip) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                .timeout(Duration.ofSeconds(10));
        if (accept != null) {
            b.header("Accept", accept);
        }
        if (gzip) {
            b.header("Accept-Encoding", "gzip");
        }
        HttpResponse<byte[]> r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValueAsLong("Content-Length")).hasValue(r.body().length);
        if (!gzip) {
            assertThat(r.headers().firstValue("Content-Encoding")).isEmpty();
            return new String(r.body(), StandardCharsets.UTF_8);
        }
        assertThat(r.headers().firstValue("Content-Encoding")).contains("gzip");
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(r.body()))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The body up to pfmeter_scrapes: the poll's part. */
    static String pollPart(String body) {
        int live = body.indexOf("# HELP pfmeter_scrapes");
        assertThat(live).isPositive();
        return body.substring(0, live);
    }

    @Test
    void scrapesBetweenTwoPollsCostOneRenderOfThePollsFamiliesAndGetTheSameBytes() throws Exception {
        String first = scrape(null, false);
        List<String> bodies = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> running = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                running.add(pool.submit(() -> scrape(null, false)));
            }
            for (Future<String> f : running) {
                bodies.add(f.get());
            }
        } finally {
            pool.shutdown();
        }
        assertThat(pollRenders).hasValue(1);
        // the rest is rendered per scrape (scrapes arriving together share that render too)
        assertThat(scrapes.get()).isBetween(2, 41);
        assertThat(pollPart(first)).contains("pf_states{af=\"inet3\",} 1003.0", "pf_interface_bytes_total{interface=\"em3\",} 10.0");
        for (String b : bodies) {
            assertThat(pollPart(b)).isEqualTo(pollPart(first));
        }
        String one = scrape(null, false);
        String two = scrape(null, false);
        assertThat(pollRenders).hasValue(1);
        assertThat(pollPart(two)).isEqualTo(pollPart(one)).isEqualTo(pollPart(first));
        assertThat(two.substring(two.indexOf("pfmeter_scrapes "))).isNotEqualTo(one.substring(one.indexOf("pfmeter_scrapes ")));
        // no family is served twice
        assertThat(first.split("# TYPE pf_states ", -1)).hasSize(2);
        assertThat(first.split("# TYPE pf_interface_bytes_total ", -1)).hasSize(2);

        poll.set(2);
        String next = scrape(null, false);
        assertThat(pollRenders).hasValue(2);
        assertThat(pollPart(next)).isNotEqualTo(pollPart(first)).contains("pf_states{af=\"inet3\",} 2003.0");
        scrape(null, false);
        assertThat(pollRenders).hasValue(2);
    }

    @Test
    void openMetricsEndsWithOneEofAfterBothPartsAndGzipKeepsOneRenderPerPoll() throws Exception {
        String om = scrape(OPENMETRICS, false);
        assertThat(om).endsWith("# EOF\n");
        assertThat(om.split("# EOF", -1)).hasSize(2);
        assertThat(om).contains("# TYPE pf_interface_bytes counter", "pf_interface_bytes_total{interface=\"em3\"} 10.0",
                "pfmeter_scrapes ");
        assertThat(om.split("# TYPE pf_interface_bytes ", -1)).hasSize(2);
        assertThat(pollRenders).hasValue(1);

        String plain = scrape(null, false);
        assertThat(pollRenders).hasValue(2);
        String zipped = scrape(null, true);
        String zippedOm = scrape(OPENMETRICS, true);
        // the compressed parts are made from the kept plain ones: no further render
        assertThat(pollRenders).hasValue(2);
        assertThat(pollPart(zipped)).isEqualTo(pollPart(plain));
        assertThat(pollPart(zippedOm)).isEqualTo(pollPart(om));
        assertThat(zippedOm).endsWith("# EOF\n").isEqualTo(pollPart(om) + zippedOm.substring(pollPart(om).length()));
        assertThat(zipped.substring(pollPart(zipped).length())).startsWith("# HELP pfmeter_scrapes");
        assertThat(zippedOm.split("# EOF", -1)).hasSize(2);
    }

    @Test
    void aGzipAnswerIsOneStreamThatReadersStoppingAtTheFirstMemberReadWhole() throws Exception {
        byte[] text = "a".repeat(100_000).concat("b\n").getBytes(StandardCharsets.UTF_8);
        GzipParts.Head head = GzipParts.head(text);
        byte[] rest = "# HELP x y\nx 1.0\n".getBytes(StandardCharsets.UTF_8);
        byte[] tail = GzipParts.tail(head, rest);
        byte[] whole = java.nio.ByteBuffer.allocate(head.bytes().length + tail.length).put(head.bytes()).put(tail).array();
        // an Inflater over the raw deflate data meets the final block only at the end: one stream
        java.util.zip.Inflater inflater = new java.util.zip.Inflater(true);
        inflater.setInput(whole, 10, whole.length - 10 - 8);
        byte[] out = new byte[text.length + rest.length + 10];
        int n = inflater.inflate(out);
        assertThat(inflater.finished()).isTrue();
        assertThat(inflater.getRemaining()).isZero();
        inflater.end();
        assertThat(java.util.Arrays.copyOf(out, n)).isEqualTo(java.nio.ByteBuffer.allocate(text.length + rest.length).put(text).put(rest).array());
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(text);
        crc.update(rest);
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(whole))) {
            assertThat(in.readAllBytes()).hasSize(text.length + rest.length);
        }
        assertThat(java.nio.ByteBuffer.wrap(whole, whole.length - 8, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt() & 0xffffffffL)
                .isEqualTo(crc.getValue());
    }

    @Test
    void aSelectionOfNamesIsRenderedFromTheRegistryAsBefore() throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/metrics?name[]=pf_states")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("pf_states{af=\"inet3\",} 1003.0").doesNotContain("pf_interface_bytes", "pfmeter_scrapes");
    }
}
