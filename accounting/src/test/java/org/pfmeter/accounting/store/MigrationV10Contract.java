package org.pfmeter.accounting.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.pfmeter.accounting.bills.Bill;
import org.pfmeter.accounting.bills.Bills;
import org.pfmeter.accounting.bills.BillsFile;
import org.pfmeter.accounting.bills.PeriodFigures;
import org.pfmeter.accounting.ledger.Ledger;
import org.pfmeter.accounting.ledger.LedgerOptions;
import org.pfmeter.accounting.ledger.Observation;
import org.pfmeter.accounting.ledger.RecordResult;
import org.pfmeter.pf.model.AddressCounters;
import org.pfmeter.pf.model.AddressFamily;
import org.pfmeter.pf.model.LabelCounters;
import org.pfmeter.pf.model.TableAddress;
import org.pfmeter.pf.model.TableAddresses;
import org.pfmeter.pf.model.TableKey;
import org.pfmeter.pf.model.TableStats;

/**
 * Migration V10 (series kinds per action) on each database: {@link MigrationV10Test} (H2),
 * {@link MigrationV10PostgresIT} (PostgreSQL). A database at schema v9 holding what the ledger of
 * v9 wrote (a label, a table's and an entry's sums over the actions, with their checkpoints, 5-minute
 * rows and polled slots) keeps every row as it was, bills as before (labels, and tables and entries
 * with {@code action = all}), and the ledger goes on: the sums without a gap, each action from its
 * baseline at the first poll after the upgrade.
 */
abstract class MigrationV10Contract extends MigrationContract {

    static final Instant T0 = Instant.parse("2026-10-01T00:00:00Z");
    static final TableKey NETS = new TableKey("", "nets");
    static final TableAddress A = new TableAddress(AddressFamily.INET, new byte[] {10, 0, 0, 1}, 32, false);
    /** The table's and the entry's tzero: long before the polls. */
    static final long TZ = T0.getEpochSecond() - 86_400;

    static final String BILLS = """
            [bill web]
            type   = volume
            label  = web

            [bill nets-all]
            type    = volume
            action  = all
            table   = nets
            address = nets *

            [bill nets-pass]
            type    = volume
            table   = nets

            [bill nets-block]
            type    = volume
            action  = block
            table   = nets
            """;

    abstract StoreConfig newDatabase();

    @Test
    void aV9DatabaseKeepsEveryRowBillsAsBeforeAndTheLedgerGoesOnWithTheActionsFromTheirBaseline() throws SQLException {
        StoreConfig db = newDatabase();
        Flyway.configure(AccountingStore.class.getClassLoader()).dataSource(db.url(), db.user(), db.password())
                .locations(AccountingStore.MIGRATIONS).target("9").load().migrate();
        List<String> before;
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password())) {
            writeV9Ledger(c);
            before = rows(c);
        }
        AccountingStore store = open(db);
        assertThat(store.schemaVersion()).isEqualTo("10");
        assertThat(store.query("rows", MigrationV10Contract::rows)).as("no row converted").isEqualTo(before);

        BillsFile file = BillsFile.parse(BILLS, "v10.bills");
        Instant asOf = T0.plusSeconds(20 * 60);
        assertThat(bytesIn(store, file, "web", asOf)).isEqualTo(100 + 200 + 300);
        assertThat(bytesIn(store, file, "nets-all", asOf)).as("the sums, as v9 billed them").isEqualTo(600 + 400 + 70);
        assertThat(bytesIn(store, file, "nets-pass", asOf)).as("no action series before the upgrade").isZero();

        // the ledger after the upgrade: the sums go on from v9's checkpoint, the actions start at their baseline
        Ledger ledger = new Ledger(store, LedgerOptions.defaults(), Clock.fixed(T0, ZoneOffset.UTC));
        // since v9's last poll: +500 passed and +100 blocked on the table, +50 passed on the entry
        record(ledger, 25 * 60, 700, table(1_000 + 500, 100), addr(400 + 50, 0));
        // then +200 passed, +10 blocked; the entry +20 passed, +5 blocked
        record(ledger, 30 * 60, 800, table(1_700, 110), addr(470, 5));
        Instant now = T0.plusSeconds(31 * 60);
        assertThat(bytesIn(store, file, "web", now)).isEqualTo(100 + 200 + 300 + 100 + 100);
        assertThat(bytesIn(store, file, "nets-all", now)).as("the sums without a gap across the upgrade")
                .isEqualTo(600 + 400 + 70 + (500 + 100) + 50 + (200 + 10) + (20 + 5));
        assertThat(bytesIn(store, file, "nets-pass", now)).as("pass from its baseline at the first poll of v10").isEqualTo(200);
        assertThat(bytesIn(store, file, "nets-block", now)).isEqualTo(10);
        List<String> kinds = store.query("kinds", c -> {
            List<String> l = new ArrayList<>();
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT kind FROM series ORDER BY series_id")) {
                while (rs.next()) {
                    l.add(rs.getString(1));
                }
            }
            return l;
        });
        assertThat(kinds).containsExactly("label", "table", "address", "table-block", "table-match", "table-pass", "table-xpass",
                "address-block", "address-match", "address-pass");

        // the kinds the constraint allows, and a kind longer than 16 characters or unknown is refused
        assertThatThrownBy(() -> store.inTransaction("bad kind", c -> {
            try (Statement st = c.createStatement()) {
                st.executeUpdate("INSERT INTO series (host, kind, anchor, table_name, label) VALUES ('fw1', 'address-xpass', '', 'x', 'y')");
            }
            return null;
        })).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> store.inTransaction("long kind", c -> {
            try (Statement st = c.createStatement()) {
                st.executeUpdate("INSERT INTO series (host, kind, anchor, table_name, label) VALUES ('fw1', 'address-block-too', '', 'x', 'y')");
            }
            return null;
        })).isInstanceOf(StoreException.class);
    }

    // ---------------------------------------------------------------------------------------------

    /**
     * What the ledger of schema v9 held after polls at T0 + 5, 10, 15 and 20 minutes: the label web
     * (100, 200, 300 bytes in the slots of 5, 10 and 15 minutes), the table nets' sum over the actions
     * (600 and 400) and its entry 10.0.0.1's (70), each with its checkpoint at the last poll.
     */
    private static void writeV9Ledger(Connection c) throws SQLException {
        Instant last = T0.plusSeconds(20 * 60);
        try (Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO series (host, kind, anchor, table_name, label) VALUES ('fw1', 'label', '', '', 'web')");
            st.executeUpdate("INSERT INTO series (host, kind, anchor, table_name, label) VALUES ('fw1', 'table', '', 'nets', '')");
            st.executeUpdate("INSERT INTO series (host, kind, anchor, table_name, label) VALUES ('fw1', 'address', '', 'nets', '10.0.0.1')");
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO pf_host (host, first_polled_at, last_polled_at,"
                + " ruleset_checksum, pf_since) VALUES ('fw1', ?, ?, 'sum', 7)")) {
            ps.setTimestamp(1, Timestamp.from(T0.plusSeconds(5 * 60)));
            ps.setTimestamp(2, Timestamp.from(last));
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO label_counters (series_id, polled_at, rule_count,"
                + " evaluations, packets_in, packets_out, bytes_in, bytes_out, states_total) VALUES (?, ?, ?, ?, ?, 0, ?, 0, 0)")) {
            checkpoint(ps, 1, last, 1, 60, 6, 600);                  // web: 600 bytes in since pf started
            checkpoint(ps, 2, last, (int) TZ, 0, 100, 1_000);        // nets: 1,000 bytes (block, match, pass, xpass)
            checkpoint(ps, 3, last, (int) TZ, 0, 40, 400);           // 10.0.0.1: 400 bytes
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO usage_5m (bucket_start, series_id, packets_in, packets_out,"
                + " bytes_in, bytes_out, evaluations, states_created, states_max, polls, resets) VALUES (?, ?, ?, 0, ?, 0, 0, 0, 0, 1, 0)")) {
            usage(ps, 5, 1, 100);
            usage(ps, 10, 1, 200);
            usage(ps, 15, 1, 300);
            usage(ps, 5, 2, 600);
            usage(ps, 10, 2, 400);
            usage(ps, 10, 3, 70);
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO host_poll_slot (host, slot_start) VALUES ('fw1', ?)")) {
            for (int m = 5; m <= 20; m += 5) {
                ps.setTimestamp(1, Timestamp.from(T0.plusSeconds((m - 5) * 60)));
                ps.executeUpdate();
            }
        }
    }

    private static void checkpoint(PreparedStatement ps, int id, Instant at, int rules, long evaluations, long packets,
                                   long bytes) throws SQLException {
        ps.setInt(1, id);
        ps.setTimestamp(2, Timestamp.from(at));
        ps.setInt(3, rules);
        ps.setLong(4, evaluations);
        ps.setLong(5, packets);
        ps.setLong(6, bytes);
        ps.executeUpdate();
    }

    private static void usage(PreparedStatement ps, int minute, int id, long bytes) throws SQLException {
        // a poll's traffic lands in the slot its poll time ends
        ps.setTimestamp(1, Timestamp.from(T0.plusSeconds((minute - 5) * 60L)));
        ps.setInt(2, id);
        ps.setLong(3, bytes / 10);
        ps.setLong(4, bytes);
        ps.executeUpdate();
    }

    /** Every row of the tables the ledger and the bills read, as text, in key order. */
    private static List<String> rows(Connection c) throws SQLException {
        List<String> l = new ArrayList<>();
        for (String q : List.of("SELECT * FROM series ORDER BY series_id", "SELECT * FROM label_counters ORDER BY series_id",
                "SELECT * FROM usage_5m ORDER BY bucket_start, series_id", "SELECT * FROM host_poll_slot ORDER BY slot_start",
                "SELECT host, first_polled_at, last_polled_at, ruleset_checksum, pf_since, sealed_until FROM pf_host")) {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(q)) {
                ResultSetMetaData md = rs.getMetaData();
                while (rs.next()) {
                    StringBuilder s = new StringBuilder(q.substring(q.indexOf("FROM ") + 5)).append(':');
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        Object v = rs.getObject(i);
                        s.append(' ').append(v instanceof java.time.OffsetDateTime o ? o.toInstant()
                                : v instanceof Timestamp t ? t.toInstant() : v instanceof java.math.BigDecimal b ? b.toPlainString() : v);
                    }
                    l.add(s.toString());
                }
            }
        }
        return l;
    }

    private static long bytesIn(AccountingStore store, BillsFile file, String bill, Instant asOf) {
        Bill b = file.bill(bill);
        PeriodFigures f = new Bills(store, file).figures(b, b.cycle().period("2026-10"), asOf);
        return f.bytesIn();
    }

    private static void record(Ledger ledger, int second, long labelBytes, TableStats table, AddressCounters entry) {
        LabelCounters web = new LabelCounters("", "web", 1, labelBytes / 10, labelBytes / 10, 0, labelBytes, 0, 0, 0);
        Observation o = new Observation("fw1", T0.plusSeconds(second), "sum", 7, List.of(web), List.of(table),
                List.of(new TableAddresses(NETS, true, List.of(entry))));
        RecordResult r = ledger.record(o);
        assertThat(r.outcome()).as("%s", r.error()).isEqualTo(RecordResult.Outcome.WRITTEN);
    }

    /** The table's counters in: {@code pass} passed, {@code block} blocked (bytes; packets a tenth). */
    private static TableStats table(long pass, long block) {
        long[] p = new long[8];
        long[] b = new long[8];
        b[0] = block;        // [in][block]
        b[2] = pass;         // [in][pass]
        p[0] = block / 10;
        p[2] = pass / 10;
        return new TableStats(NETS.anchor(), NETS.name(), TableStats.PFR_TFLAG_ACTIVE | TableStats.PFR_TFLAG_COUNTERS,
                1, 0, 0, p, b, TZ, 1, 0);
    }

    private static AddressCounters addr(long pass, long block) {
        long[] p = new long[6];
        long[] b = new long[6];
        b[0] = block;
        b[2] = pass;
        p[0] = block / 10;
        p[2] = pass / 10;
        return new AddressCounters(A, true, p, b, TZ);
    }
}
