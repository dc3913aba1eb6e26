package org.pfmeter.exporter.accounting;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pfmeter.accounting.bills.BillStore;
import org.pfmeter.accounting.bills.PeriodFigures;
import org.pfmeter.accounting.store.AccountingStore;
import org.pfmeter.accounting.store.StoreConfig;
import org.pfmeter.exporter.TestDaemon;
import org.pfmeter.exporter.http.Credentials;

/**
 * The daemon stores a bill's period in its poll path once the period has closed, and serves the
 * bills at /billing/api/bills only to the billing users. The bill's zone puts its period end a few
 * minutes after the test daemon's start (a fixed offset of −10:05: local midnight of 2 November is
 * 10:05 UTC), so that the polls of a few simulated minutes close a period.
 */
class DaemonBillsTest {

    @TempDir
    Path dir;

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void the_poll_path_stores_a_closed_period_once_and_the_api_serves_it_behind_authentication() throws Exception {
        Path users = dir.resolve("billing.users");
        Files.writeString(users, Credentials.line("alice", "correct horse".toCharArray()) + "\n");
        Path bills = ClosingBills.write(dir, "=HYPERLINK(\"http://evil\")");
        Path data = Files.createDirectories(dir.resolve("data"));
        String auth = basic("alice", "correct horse");
        try (TestDaemon d = TestDaemon.start(data, "accounting.host = fw1\nhttp.billing-credentials = " + users
                + "\nbilling.bills = " + bills + "\n")) {
            ClosingBills.poll(d, 9);                // 10:00 to 10:08 UTC: the period 2026-10 ends at 10:05
            assertThat(d.get("/billing/api/bills").statusCode()).isEqualTo(401);
            assertThat(d.get("/billing/api/bills/acme", "Authorization", basic("alice", "wrong")).statusCode()).isEqualTo(401);

            HttpResponse<String> all = d.get("/billing/api/bills?history=1", "Authorization", auth);
            assertThat(all.statusCode()).isEqualTo(200);
            assertThat(all.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
            JsonNode j = new ObjectMapper().readTree(all.body());
            assertThat(j.get("bills")).hasSize(2);
            JsonNode acme = j.get("bills").get(0);
            assertThat(acme.get("bill").asText()).isEqualTo("acme");
            assertThat(acme.get("quota_bytes").asLong()).isEqualTo(1_000_000_000L);
            JsonNode closed = acme.get("periods").get(0);
            JsonNode current = acme.get("periods").get(1);
            assertThat(closed.get("period").asText()).isEqualTo("2026-10");
            assertThat(closed.get("status").asText()).isEqualTo("closed");
            assertThat(closed.get("end").asText()).isEqualTo("2026-11-02T10:05:00Z");
            assertThat(closed.get("bytes_total").asLong()).isPositive();
            assertThat(current.get("period").asText()).isEqualTo("2026-11");
            assertThat(current.get("status").asText()).isEqualTo("current");
            assertThat(current.get("bytes_total").asLong()).isPositive();
            assertThat(current.get("projected_used_bytes").asLong()).isGreaterThan(current.get("used_bytes").asLong());
            JsonNode transit = j.get("bills").get(1).get("periods").get(0);
            assertThat(transit.get("p95_bits_per_second").asDouble()).isPositive();
            assertThat(transit.has("burst_headroom")).isTrue();

            HttpResponse<String> csv = d.get("/billing/api/bills/acme?period=2026-10&format=csv", "Authorization", auth);
            assertThat(csv.statusCode()).isEqualTo(200);
            assertThat(csv.body().split("\r\n")).hasSize(2);
            assertThat(csv.body()).contains("\"'=HYPERLINK(\"\"http://evil\"\")\"").contains(",2026-10,");

            assertThat(d.get("/billing/api/bills/nobody", "Authorization", auth).statusCode()).isEqualTo(404);
            HttpResponse<String> bad = d.get("/billing/api/bills?period=2026-13", "Authorization", auth);
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.body()).contains("2026-13");
            assertThat(d.get("/billing/api/bills?period=2026-10&history=2", "Authorization", auth).statusCode()).isEqualTo(400);
        }
        // stored once, as the daemon stored it
        try (AccountingStore s = AccountingStore.openForReading(StoreConfig.h2(data))) {
            BillStore stored = new BillStore(s);
            assertThat(stored.periods("acme")).containsOnlyKeys("2026-10");
            assertThat(stored.periods("transit")).containsOnlyKeys("2026-10");
            PeriodFigures f = stored.periods("acme").get("2026-10");
            assertThat(f.stored()).isTrue();
            assertThat(f.end()).isEqualTo(java.time.Instant.parse("2026-11-02T10:05:00Z"));
        }
    }
}
