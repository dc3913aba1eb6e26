package org.pfmeter.exporter.accounting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pfmeter.exporter.Exposition;
import org.pfmeter.exporter.TestDaemon;
import org.pfmeter.exporter.cli.Main;

/**
 * The daemon's {@code pfmeter_bill_*} metrics are the current period of {@code pfmeter bills --format
 * json} over the same database, computed by the ledger's writer after a written poll at most once a
 * minute (a scrape in between serves the last figures and their age).
 */
class BillsMetricsTest {

    @TempDir
    Path dir;

    @Test
    void the_metrics_equal_the_bills_command_and_are_computed_at_most_once_a_minute() throws Exception {
        Path bills = Files.writeString(dir.resolve("bills.conf"), """
                [bill acme]
                customer  = =HYPERLINK("http://evil")
                type      = quota
                quota     = 2G
                anchor    = customers/acme

                [bill transit]
                type      = 95th
                commit    = 1M
                direction = max
                label     = glob:egress-*

                [bill lan]
                type      = volume
                label     = glob:lan-*
                """);
        Path data = Files.createDirectories(dir.resolve("data"));
        Exposition m;
        try (TestDaemon d = TestDaemon.start(data, "accounting.host = fw1\nbilling.bills = " + bills + "\n")) {
            Exposition before = d.scrape();
            assertThat(before.value(BillsCollector.FAILURES)).contains(0.0);
            assertThat(before.samples(BillsCollector.USED)).isEmpty();
            assertThat(before.samples(BillsCollector.AGE)).isEmpty();

            Instant first = d.clock.instant();
            d.daemon.poller().pollOnce();
            assertThat(d.scrape().value(BillsCollector.AS_OF)).contains(first.getEpochSecond() + 0.0);
            d.clock.advance(Duration.ofSeconds(30));
            d.daemon.poller().pollOnce();
            Exposition half = d.scrape();
            assertThat(half.value(BillsCollector.AS_OF)).as("not recomputed 30 s later").contains(first.getEpochSecond() + 0.0);
            assertThat(half.value(BillsCollector.AGE)).contains(30.0);
            d.clock.advance(Duration.ofSeconds(30));
            d.daemon.poller().pollOnce();
            Exposition minute = d.scrape();
            assertThat(minute.value(BillsCollector.AS_OF)).as("recomputed a minute later").contains(first.getEpochSecond() + 60.0);
            assertThat(minute.value(BillsCollector.AGE)).contains(0.0);
            for (int i = 0; i < 10; i++) {
                d.clock.advance(Duration.ofMinutes(1));
                d.daemon.poller().pollOnce();
            }
            m = d.scrape();
            assertThat(m.value(BillsCollector.AS_OF)).contains(d.clock.instant().getEpochSecond() + 0.0);
            String body = d.get("/metrics").body();
            assertThat(body).doesNotContain("HYPERLINK");
            m.labelNames().forEach((name, labels) -> {
                if (name.startsWith("pfmeter_bill_")) {
                    assertThat(labels).as(name).containsExactly("bill");
                }
            });
        }

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"bills", "--data-dir", data.toString(), "--bills", bills.toString(), "--format", "json"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        JsonNode j = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(m.value(BillsCollector.AS_OF)).contains(Instant.parse(j.get("as_of").asText()).getEpochSecond() + 0.0);
        assertThat(j.get("bills")).hasSize(3);
        for (JsonNode b : j.get("bills")) {
            String name = b.get("bill").asText();
            JsonNode p = b.get("periods").get(0);
            assertThat(p.get("status").asText()).isEqualTo("current");
            assertThat(p.get("used_bytes").asLong()).as(name).isPositive();
            assertThat(m.value(BillsCollector.USED, "bill", name)).as(name).contains(p.get("used_bytes").asDouble());
            assertThat(m.value(BillsCollector.PROJECTED_USED, "bill", name)).as(name).contains(p.get("projected_used_bytes").asDouble());
            assertThat(m.value(BillsCollector.ELAPSED, "bill", name).orElseThrow()).as(name).isStrictlyBetween(0.0, 0.1);
        }
        JsonNode acme = j.get("bills").get(0).get("periods").get(0);
        double quota = 2_000_000_000.0;
        assertThat(m.value(BillsCollector.QUOTA, "bill", "acme")).contains(quota);
        assertThat(m.value(BillsCollector.QUOTA_USAGE, "bill", "acme")).contains(acme.get("used_bytes").asLong() / quota);
        assertThat(m.value(BillsCollector.QUOTA_PROJECTED, "bill", "acme")).contains(acme.get("projected_used_bytes").asLong() / quota);
        assertThat(m.value(BillsCollector.PROJECTED_OVERAGE, "bill", "acme")).contains(acme.get("projected_overage_bytes").asDouble());

        JsonNode transit = j.get("bills").get(1).get("periods").get(0);
        assertThat(transit.get("p95_bits_per_second").asDouble()).isPositive();
        assertThat(m.value(BillsCollector.COMMIT, "bill", "transit")).contains(125_000.0);
        // bytes per second here, bits in the JSON, which rounds them to 3 decimals
        assertThat(m.value(BillsCollector.P95, "bill", "transit").orElseThrow() * 8)
                .isCloseTo(transit.get("p95_bits_per_second").asDouble(), within(0.0005));
        assertThat(m.value(BillsCollector.P95_COMMIT, "bill", "transit").orElseThrow())
                .isCloseTo(transit.get("p95_bits_per_second").asDouble() / 1_000_000.0, within(1e-9));
        assertThat(m.value(BillsCollector.P95_OVERAGE, "bill", "transit").orElseThrow() * 8)
                .isCloseTo(transit.get("overage_bits_per_second").asDouble(), within(0.0005));
        assertThat(m.value(BillsCollector.ABOVE, "bill", "transit")).contains(transit.get("intervals_above_commit").asDouble());
        assertThat(m.value(BillsCollector.HEADROOM, "bill", "transit")).contains(transit.get("burst_headroom").asDouble());
        assertThat(transit.get("burst_headroom").asInt()).isPositive();

        // each type has its own families only
        for (String quotaOnly : List.of(BillsCollector.QUOTA, BillsCollector.QUOTA_USAGE, BillsCollector.QUOTA_PROJECTED,
                BillsCollector.PROJECTED_OVERAGE)) {
            assertThat(m.samples(quotaOnly)).as(quotaOnly).extracting(s -> s.labels()).containsExactly(Map.of("bill", "acme"));
        }
        for (String p95Only : List.of(BillsCollector.COMMIT, BillsCollector.P95, BillsCollector.P95_COMMIT, BillsCollector.P95_OVERAGE,
                BillsCollector.ABOVE, BillsCollector.HEADROOM)) {
            assertThat(m.samples(p95Only)).as(p95Only).extracting(s -> s.labels()).containsExactly(Map.of("bill", "transit"));
        }
        assertThat(m.value(BillsCollector.FAILURES)).contains(0.0);
    }
}
