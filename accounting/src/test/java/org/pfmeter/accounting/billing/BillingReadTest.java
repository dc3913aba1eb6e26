package org.pfmeter.accounting.billing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pfmeter.accounting.store.AccountingStore;
import org.pfmeter.accounting.store.StoreConfig;

/**
 * Reports read the 5-minute rows one host and label at a time, bounded by the month. Rows of other
 * months, of other hosts and of the same label on several hosts must land exactly where they
 * belong; and the read must be bounded by the month in the index, so that a report reads one
 * month however many the retention keeps (400 days by default: one query for all labels used to
 * read all of them).
 */
class BillingReadTest {

    private static final BillingPeriod OCTOBER = BillingCycle.calendarMonthsUtc().period("2026-10");

    @TempDir
    Path dir;

    private AccountingStore store;

    @BeforeEach
    void fill() {
        store = AccountingStore.open(StoreConfig.h2(dir));
        store.inTransaction("fill", c -> {
            for (String h : new String[] {"fw1", "fw2"}) {
                c.createStatement().executeUpdate("INSERT INTO pf_host (host, first_polled_at, last_polled_at, ruleset_checksum,"
                        + " pf_since) VALUES ('" + h + "', TIMESTAMP WITH TIME ZONE '2026-09-01 00:00:00+00',"
                        + " TIMESTAMP WITH TIME ZONE '2026-11-02 00:00:00+00', 'x', 0)");
            }
            counters(c, "fw1", "web");
            counters(c, "fw2", "web");
            counters(c, "fw2", "mail");
            // the last slot of September and the first of November lie just outside October
            row(c, "fw1", "web", "2026-09-30T23:55:00Z", 1_000_000);
            row(c, "fw1", "web", "2026-10-01T00:00:00Z", 100);
            row(c, "fw1", "web", "2026-10-15T12:00:00Z", 20);
            row(c, "fw1", "web", "2026-10-31T23:55:00Z", 3);
            row(c, "fw1", "web", "2026-11-01T00:00:00Z", 2_000_000);
            row(c, "fw2", "web", "2026-10-15T12:00:00Z", 4_000);
            row(c, "fw2", "mail", "2026-10-02T00:00:00Z", 50_000);
            return null;
        });
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static void counters(Connection c, String host, String label) throws SQLException {
        c.createStatement().executeUpdate("INSERT INTO label_counters (host, anchor, label, polled_at, rule_count, evaluations,"
                + " packets_in, packets_out, bytes_in, bytes_out, states_total) VALUES ('" + host + "', '', '" + label + "',"
                + " TIMESTAMP WITH TIME ZONE '2026-11-02 00:00:00+00', 1, 0, 0, 0, 0, 0, 0)");
    }

    private static void row(Connection c, String host, String label, String bucket, long bytesIn)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO usage_5m (host, anchor, label, bucket_start, packets_in,"
                + " packets_out, bytes_in, bytes_out, evaluations, states_created, states_max, polls, resets)"
                + " VALUES (?, '', ?, ?, ?, 1, ?, ?, 0, 0, 0, 1, 0)")) {
            ps.setString(1, host);
            ps.setString(2, label);
            ps.setObject(3, OffsetDateTime.parse(bucket));
            ps.setLong(4, bytesIn / 10);
            ps.setLong(5, bytesIn);
            ps.setLong(6, 7);
            ps.executeUpdate();
        }
    }

    private Map<String, BillingReport.LabelLine> report(ReportQuery q) {
        BillingReports reports = new BillingReports(store, BillingCycle.calendarMonthsUtc(), CustomerMapping.empty(),
                Clock.fixed(Instant.parse("2026-11-20T00:00:00Z"), ZoneOffset.UTC));
        return reports.report(q).labels().stream().collect(Collectors.toMap(BillingReport.LabelLine::name, Function.identity()));
    }

    @Test
    void everyHostAddsItsRowsOfTheMonthAndNothingElse() {
        Map<String, BillingReport.LabelLine> all = report(ReportQuery.of(OCTOBER));
        assertThat(all.keySet()).containsExactlyInAnyOrder("web", "mail");
        assertThat(all.get("web").usage().bytesIn()).isEqualTo(100 + 20 + 3 + 4_000);
        assertThat(all.get("web").usage().packetsIn()).isEqualTo(10 + 2 + 0 + 400);
        assertThat(all.get("web").usage().bytesOut()).isEqualTo(4 * 7);
        assertThat(all.get("web").hosts()).containsExactly("fw1", "fw2");
        // both hosts' rows of 15 October 12:00 are one slot: the peak is their sum, in bits per second
        assertThat(all.get("web").usage().peakInBps()).isEqualTo(4_020 * 8 / 300.0);
        assertThat(all.get("mail").usage().bytesIn()).isEqualTo(50_000);
        assertThat(all.get("mail").hosts()).containsExactly("fw2");
    }

    @Test
    void oneHostReadsOnlyItsOwnRowsAndLabels() {
        Map<String, BillingReport.LabelLine> fw1 = report(ReportQuery.of(OCTOBER).withHost("fw1"));
        assertThat(fw1.keySet()).containsExactly("web");
        assertThat(fw1.get("web").usage().bytesIn()).isEqualTo(123);
        assertThat(fw1.get("web").hosts()).containsExactly("fw1");

        Map<String, BillingReport.LabelLine> fw2 = report(ReportQuery.of(OCTOBER).withHost("fw2"));
        assertThat(fw2.get("web").usage().bytesIn()).isEqualTo(4_000);
        assertThat(fw2.get("mail").usage().bytesIn()).isEqualTo(50_000);
    }

    @Test
    void h2ReadsOneSliceOfThePrimaryKeyPerLabelBoundedByTheMonth() {
        assertThat(primaryKeySlice(SlotData.sql())).contains("PRIMARY_KEY", "HOST = ?1", "ANCHOR = ?2", "LABEL = ?3",
                "BUCKET_START >= ?4", "BUCKET_START < ?5");
        // the sealed days of usage_5m_day (migration V3) the same way
        assertThat(primaryKeySlice(SlotData.daySql())).contains("PRIMARY_KEY", "HOST = ?1", "ANCHOR = ?2", "LABEL = ?3",
                "DAY_START >= ?4", "DAY_START < ?5");
    }

    /** The index H2 plans for {@code sql} and the conditions it bounds that index by. */
    private String primaryKeySlice(String sql) {
        String plan = store.query("explain", c -> {
            try (PreparedStatement ps = c.prepareStatement("EXPLAIN " + sql)) {
                ps.setString(1, "fw1");
                ps.setString(2, "");
                ps.setString(3, "web");
                ps.setObject(4, OffsetDateTime.parse("2026-10-01T00:00:00Z"));
                ps.setObject(5, OffsetDateTime.parse("2026-11-01T00:00:00Z"));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        });
        // (host, anchor, label, bucket_start or day_start), bounded by the whole key and both ends
        return plan.substring(plan.indexOf("/*"), plan.indexOf("*/"));
    }
}
