package org.pfmeter.exporter.accounting;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pfmeter.accounting.store.BucketRows;
import org.pfmeter.accounting.store.StoreConfig;
import org.pfmeter.exporter.TestDaemon;
import org.pfmeter.exporter.http.Credentials;

/**
 * The daemon accounts every poll into its H2 file, exports the ledger's health, and serves billing
 * only to authenticated users, without telling which users exist.
 */
class DaemonAccountingTest {

    @TempDir
    Path dir;

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void pollsAreAccountedAndBillingNeedsCredentials() throws Exception {
        Path users = dir.resolve("billing.users");
        Files.writeString(users, Credentials.line("alice", "correct horse".toCharArray()) + "\n");
        Path data = Files.createDirectories(dir.resolve("data"));
        try (TestDaemon d = TestDaemon.start(data, "accounting.host = fw1\nhttp.billing-credentials = " + users + "\n")) {
            for (int i = 0; i < 13; i++) {
                d.daemon.poller().pollOnce();
                d.clock.advance(Duration.ofMinutes(1));
            }
            assertThat(d.scrape().value("pfmeter_ledger_written_polls_total")).contains(13.0);
            assertThat(d.scrape().value("pfmeter_ledger_backlog_polls")).contains(0.0);
            assertThat(Files.exists(data.resolve("pfmeter.mv.db"))).isTrue();

            HttpResponse<String> none = d.get("/billing?month=2026-11");
            assertThat(none.statusCode()).isEqualTo(401);
            assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
            HttpResponse<String> wrong = d.get("/billing?month=2026-11", "Authorization", basic("alice", "wrong"));
            HttpResponse<String> unknown = d.get("/billing?month=2026-11", "Authorization", basic("mallory", "wrong"));
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(unknown.statusCode()).isEqualTo(401);
            assertThat(unknown.body()).isEqualTo(wrong.body());

            HttpResponse<String> bad = d.get("/billing?month=2026-13", "Authorization", basic("alice", "correct horse"));
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.body()).contains("2026-13");

            HttpResponse<String> csv = d.get("/billing?month=2026-11&format=csv", "Authorization", basic("alice", "correct horse"));
            assertThat(csv.statusCode()).isEqualTo(200);
            assertThat(csv.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/csv"));
            assertThat(csv.body()).contains("customers/acme:acme-web");

            HttpResponse<String> json = d.get("/billing/usage?month=2026-11&label=customers/acme:acme-web&format=json",
                    "Authorization", basic("alice", "correct horse"));
            assertThat(json.statusCode()).isEqualTo(200);
            assertThat(json.body()).contains("\"samples\"");
        }
    }

    @Test
    void withoutCredentialsTheBillingEndpointDoesNotExist() throws Exception {
        try (TestDaemon d = TestDaemon.start(Files.createDirectories(dir.resolve("d2")), "")) {
            d.daemon.poller().pollOnce();
            assertThat(d.get("/billing?month=2026-11").statusCode()).isEqualTo(404);
            assertThat(d.daemon.accounting()).isPresent();
        }
    }

    @Test
    void accountingCanBeTurnedOff() throws Exception {
        try (TestDaemon d = TestDaemon.start(Files.createDirectories(dir.resolve("d3")), "accounting.enabled = false\n")) {
            d.daemon.poller().pollOnce();
            assertThat(d.daemon.accounting()).isEmpty();
            assertThat(d.scrape().value("pfmeter_ledger_written_polls_total")).isEmpty();
        }
    }

    @Test
    void stoppingTheDaemonMergesTheOpenBucketsJournalIntoOneRowThatHoldsTheSameUsage() throws Exception {
        Path data = Files.createDirectories(dir.resolve("d4"));
        Instant ever = Instant.EPOCH;
        Instant never = Instant.parse("9999-01-01T00:00:00Z");
        List<BucketRows.Row> before;
        try (TestDaemon d = TestDaemon.start(data, "accounting.host = fw1\n")) {
            // 10:00:00 (the baseline, bucket 09:55), then 10:00:10 to 10:01:10 in the bucket of 10:00
            for (int i = 0; i < 8; i++) {
                d.daemon.poller().pollOnce();
                d.clock.advance(Duration.ofSeconds(10));
            }
            assertThat(d.scrape().value("pfmeter_ledger_written_polls_total")).contains(8.0);
            var store = d.daemon.accounting().orElseThrow().store();
            assertThat(store.query("count the journal", DaemonAccountingTest::journalRows)).isEqualTo(7);
            before = store.query("read the buckets", c -> BucketRows.read(c, Optional.empty(), ever, never));
        }
        try (Connection c = DriverManager.getConnection(StoreConfig.h2(data).url())) {
            assertThat(journalRows(c)).isEqualTo(1);
            assertThat(BucketRows.read(c, Optional.empty(), ever, never)).isNotEmpty().isEqualTo(before);
        }
    }

    private static int journalRows(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(DISTINCT polled_at) FROM poll_journal")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
