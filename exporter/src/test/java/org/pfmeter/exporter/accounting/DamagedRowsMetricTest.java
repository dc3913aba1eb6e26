package org.pfmeter.exporter.accounting;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pfmeter.accounting.store.AccountingStore;
import org.pfmeter.accounting.store.StoreConfig;
import org.pfmeter.exporter.Exposition;
import org.pfmeter.exporter.TestDaemon;
import org.pfmeter.exporter.http.Credentials;

/**
 * {@code pfmeter_ledger_damaged_rows_total}: 0 for both readers and the writer while the database is
 * sound; a journal row damaged as {@code DamagedRowsTest} damages one (a flipped bit, its checksum no
 * longer matching) is met by the restarted daemon's ledger writer at every poll (each rejected) and
 * by a billing report (refused with a 500), and each meeting counts.
 */
class DamagedRowsMetricTest {

    @TempDir
    Path dir;

    @Test
    void aDamagedJournalRowIsCountedEachTimeTheWriterOrAReportMeetsIt() throws Exception {
        Path users = dir.resolve("billing.users");
        Files.writeString(users, Credentials.line("alice", "correct horse".toCharArray()) + "\n");
        String config = "accounting.host = fw1\nhttp.billing-credentials = " + users + "\n";
        String alice = "Basic " + Base64.getEncoder().encodeToString("alice:correct horse".getBytes(StandardCharsets.UTF_8));
        Path data = Files.createDirectories(dir.resolve("data"));
        TestDaemon first = TestDaemon.start(data, config);
        try (TestDaemon d = first) {
            for (int i = 0; i < 2; i++) {       // two polls in one 5-minute bucket: it stays open, in the journal
                d.daemon.poller().pollOnce();
                d.clock.advance(Duration.ofSeconds(70));
            }
            assertThat(d.get("/billing?month=2026-11", "Authorization", alice).statusCode()).isEqualTo(200);
            Exposition e = d.scrape();
            assertThat(e.value("pfmeter_ledger_damaged_rows_total", "met_by", "writer")).contains(0.0);
            assertThat(e.value("pfmeter_ledger_damaged_rows_total", "met_by", "reader")).contains(0.0);
        }

        try (AccountingStore store = AccountingStore.open(StoreConfig.h2(data))) {
            damageTheLatestJournalRow(store);
        }

        try (TestDaemon d = TestDaemon.restarted(data, config, first.pf)) {
            d.daemon.poller().pollOnce();
            Exposition e = d.scrape();
            assertThat(e.value("pfmeter_ledger_damaged_rows_total", "met_by", "writer")).as("the writer loading fw1's ledger")
                    .contains(1.0);
            assertThat(e.value("pfmeter_ledger_damaged_rows_total", "met_by", "reader")).contains(0.0);
            assertThat(e.value("pfmeter_ledger_written_polls_total")).contains(0.0);

            HttpResponse<String> report = d.get("/billing?month=2026-11", "Authorization", alice);
            assertThat(report.statusCode()).isEqualTo(500);
            assertThat(report.body()).contains("damaged row", "pfmeter verify");
            assertThat(d.scrape().value("pfmeter_ledger_damaged_rows_total", "met_by", "reader")).contains(1.0);

            d.clock.advance(Duration.ofSeconds(70));
            d.daemon.poller().pollOnce();
            assertThat(d.scrape().value("pfmeter_ledger_damaged_rows_total", "met_by", "writer"))
                    .as("met again by the next poll, which is rejected too").contains(2.0);
        }
    }

    /** Flips a bit in the middle of the newest journal row's entries, as DamagedRowsTest does. */
    private static void damageTheLatestJournalRow(AccountingStore store) {
        record Row(String host, OffsetDateTime at, byte[] entries) {
        }
        Row row = store.query("a journal row", c -> {
            try (ResultSet rs = c.createStatement().executeQuery(
                    "SELECT host, polled_at, entries FROM poll_journal WHERE part = 0 ORDER BY polled_at DESC")) {
                assertThat(rs.next()).as("the open bucket's journal row").isTrue();
                return new Row(rs.getString(1), rs.getObject(2, OffsetDateTime.class), rs.getBytes(3));
            }
        });
        byte[] b = row.entries().clone();
        b[b.length / 2] ^= 0x10;
        int updated = store.inTransaction("damage the journal", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE poll_journal SET entries = ? WHERE host = ? AND polled_at = ? AND part = 0")) {
                ps.setBytes(1, b);
                ps.setString(2, row.host());
                ps.setObject(3, row.at());
                return ps.executeUpdate();
            }
        });
        assertThat(updated).isEqualTo(1);
    }
}
