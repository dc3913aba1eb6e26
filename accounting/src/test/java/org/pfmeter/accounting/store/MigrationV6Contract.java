package org.pfmeter.accounting.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.pfmeter.accounting.ledger.Ledger;
import org.pfmeter.accounting.ledger.LedgerOptions;
import org.pfmeter.accounting.ledger.Observation;
import org.pfmeter.accounting.ledger.RecordResult;
import org.pfmeter.pf.model.AddressCounters;
import org.pfmeter.pf.model.AddressFamily;
import org.pfmeter.pf.model.LabelCounters;
import org.pfmeter.pf.model.LabelKey;
import org.pfmeter.pf.model.TableAddress;
import org.pfmeter.pf.model.TableAddresses;
import org.pfmeter.pf.model.TableKey;
import org.pfmeter.pf.model.TableStats;

/**
 * Migration V6 (series.kind, series.table_name) and the ledger's tables and addresses, on each
 * database: {@link MigrationV6Test} (H2), {@link MigrationV6PostgresIT} (PostgreSQL).
 */
abstract class MigrationV6Contract extends MigrationContract {

    static final Instant T0 = Instant.parse("2026-10-01T00:00:10Z");
    static final TableKey NETS = new TableKey("customers/acme", "acme-nets");
    static final TableAddress A = host(10, 0, 0, 1);
    static final TableAddress B = host(10, 0, 0, 2);
    static final TableAddress C = host(10, 0, 0, 3);

    abstract StoreConfig newDatabase();

    @Test
    void theSeriesOfSchemaV5BecomeLabelSeriesWithTheirNumbersAndTheKeyNowIncludesTheKind() throws SQLException {
        StoreConfig db = newDatabase();
        Flyway.configure(AccountingStore.class.getClassLoader()).dataSource(db.url(), db.user(), db.password())
                .locations(AccountingStore.MIGRATIONS).target("5").load().migrate();
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
             Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO series (host, anchor, label) VALUES ('fw1', '', 'web'), ('fw1', 'a/b', 'web')");
        }
        AccountingStore store = open(db);
        assertThat(store.schemaVersion()).isEqualTo("10");
        List<String> rows = store.query("read series", c -> {
            List<String> l = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT series_id, kind, anchor, table_name, label FROM series ORDER BY series_id");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    l.add(rs.getInt(1) + " " + rs.getString(2) + " [" + rs.getString(3) + "] [" + rs.getString(4) + "] " + rs.getString(5));
                }
            }
            return l;
        });
        assertThat(rows).containsExactly("1 label [] [] web", "2 label [a/b] [] web");
        // the same anchor and name as another kind is another series; the same key twice is not
        store.inTransaction("insert", c -> {
            try (Statement st = c.createStatement()) {
                st.executeUpdate("INSERT INTO series (host, kind, anchor, table_name, label) VALUES ('fw1', 'address', '', 'web', '10.0.0.1')");
                st.executeUpdate("INSERT INTO series (host, kind, anchor, table_name, label) VALUES ('fw1', 'table', '', 'web', '')");
            }
            return null;
        });
        assertThatThrownBy(() -> store.inTransaction("duplicate", c -> {
            try (Statement st = c.createStatement()) {
                st.executeUpdate("INSERT INTO series (host, kind, anchor, table_name, label) VALUES ('fw1', 'table', '', 'web', '')");
            }
            return null;
        })).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> store.inTransaction("bad kind", c -> {
            try (Statement st = c.createStatement()) {
                st.executeUpdate("INSERT INTO series (host, kind, anchor, table_name, label) VALUES ('fw1', 'rule', '', 'x', '')");
            }
            return null;
        })).isInstanceOf(StoreException.class);
        // readers of labels see the labels only
        assertThat(store.labels(Optional.of("fw1"))).containsExactly(new LabelKey("", "web"), new LabelKey("a/b", "web"));
    }

    @Test
    void tablesAndAddressesAreAccountedWithTheirResetsAcrossARestartAndLabelReportsStayLabelsOnly() {
        StoreConfig db = newDatabase();
        AccountingStore store = open(db);
        Ledger ledger = new Ledger(store, LedgerOptions.defaults(), Clock.fixed(T0, ZoneOffset.UTC));
        long tz = T0.getEpochSecond() - 3_600;
        // poll 1: the host's baseline
        record(ledger, 0, 100, table(1_000, 50, tz), nets(addr(A, 400, 10, tz), addr(C, 70, 3, tz)));
        // poll 2: everything grows
        record(ledger, 60, 160, table(1_600, 80, tz), nets(addr(A, 700, 15, tz), addr(C, 90, 4, tz)));
        // pfmeter restarted: a new ledger reads what the database holds
        ledger = new Ledger(store, LedgerOptions.defaults(), Clock.fixed(T0, ZoneOffset.UTC));
        long zeroed = T0.getEpochSecond() + 100;
        // poll 3: pfctl -T zero at +100 s, then 200 bytes on the table, 50 on A; B added at +110 s
        // with 30 bytes; C deleted from the table
        record(ledger, 120, 220, table(200, 9, zeroed),
                nets(addr(A, 50, 2, zeroed), addr(B, 30, 1, zeroed + 10)));
        // poll 4: in the next bucket; C re-added after poll 3, with traffic
        long readded = T0.getEpochSecond() + 400;
        record(ledger, 420, 300, table(500, 20, zeroed),
                nets(addr(A, 80, 4, zeroed), addr(B, 30, 1, zeroed + 10), addr(C, 5, 1, readded)));

        Instant from = T0.minusSeconds(10);
        Instant to = T0.plus(Duration.ofHours(1));
        Map<SeriesKey, SlotUsage> tables = SeriesUsage.totals(store, "fw1", SeriesKind.TABLE, from, to);
        // 600 (poll 2) + 200 (current value after the zero) + 300 (poll 4)
        assertThat(tables.get(SeriesKey.table(NETS)).bytesIn()).isEqualTo(600 + 200 + 300);
        assertThat(tables.get(SeriesKey.table(NETS)).resets()).isEqualTo(1);
        Map<SeriesKey, SlotUsage> addresses = SeriesUsage.totals(store, "fw1", SeriesKind.ADDRESS, from, to);
        assertThat(addresses.get(SeriesKey.address(NETS, A)).bytesIn()).isEqualTo(300 + 50 + 30);
        assertThat(addresses.get(SeriesKey.address(NETS, B)).bytesIn()).as("new since poll 2: its current value").isEqualTo(30);
        assertThat(addresses.get(SeriesKey.address(NETS, C)).bytesIn()).isEqualTo(20 + 5);
        assertThat(addresses.get(SeriesKey.address(NETS, A)).packetsIn()).isEqualTo(5 + 2 + 2);
        // label readers: the label only
        assertThat(store.labels(Optional.of("fw1"))).containsExactly(new LabelKey("", "web"));
        Map<SeriesKey, SlotUsage> labels = SeriesUsage.totals(store, "fw1", SeriesKind.LABEL, from, to);
        assertThat(labels.keySet()).containsExactly(SeriesKey.label(new LabelKey("", "web")));
        assertThat(labels.values().iterator().next().bytesIn()).isEqualTo(60 + 60 + 80);
    }

    @Test
    void anAddressFirstSeenWithCountersClearedBeforeThePreviousPollIsABaseline() {
        AccountingStore store = open(newDatabase());
        Ledger ledger = new Ledger(store, LedgerOptions.defaults(), Clock.fixed(T0, ZoneOffset.UTC));
        long tz = T0.getEpochSecond() - 3_600;
        record(ledger, 0, 100, table(1_000, 50, tz), nets(addr(A, 400, 10, tz)));
        // C appears (the table newly named in the config, or the upgrade to V6): its 900 bytes are older
        record(ledger, 60, 100, table(1_000, 50, tz), nets(addr(A, 400, 10, tz), addr(C, 900, 9, tz)));
        record(ledger, 120, 100, table(1_000, 50, tz), nets(addr(A, 400, 10, tz), addr(C, 950, 10, tz)));
        Map<SeriesKey, SlotUsage> addresses = SeriesUsage.totals(store, "fw1", SeriesKind.ADDRESS,
                T0.minusSeconds(10), T0.plus(Duration.ofHours(1)));
        assertThat(addresses.get(SeriesKey.address(NETS, C)).bytesIn()).isEqualTo(50);
    }

    // ---------------------------------------------------------------------------------------------

    private static void record(Ledger ledger, int second, long labelBytes, TableStats table, TableAddresses nets) {
        LabelCounters web = new LabelCounters("", "web", 1, labelBytes / 10, labelBytes / 10, 0, labelBytes, 0, 0, 0);
        Observation o = new Observation("fw1", T0.plusSeconds(second), "sum", 7, List.of(web), List.of(table), List.of(nets));
        RecordResult r = ledger.record(o);
        assertThat(r.outcome()).as("%s", r.error()).isEqualTo(RecordResult.Outcome.WRITTEN);
    }

    /** The table's counters: {@code bytes} in as pass, {@code packets} in as pass. */
    private static TableStats table(long bytes, long packets, long cleared) {
        long[] p = new long[8];
        long[] b = new long[8];
        p[2] = packets;      // [in][pass]
        b[2] = bytes;
        return new TableStats(NETS.anchor(), NETS.name(), TableStats.PFR_TFLAG_ACTIVE | TableStats.PFR_TFLAG_COUNTERS,
                3, packets, 0, p, b, cleared, 1, 0);
    }

    private static TableAddresses nets(AddressCounters... entries) {
        return new TableAddresses(NETS, true, List.of(entries));
    }

    /** An entry's counters: bytes and packets in, split over block and pass. */
    private static AddressCounters addr(TableAddress a, long bytes, long packets, long cleared) {
        long[] p = new long[6];
        long[] b = new long[6];
        p[0] = packets / 2;
        p[2] = packets - packets / 2;
        b[0] = bytes / 2;
        b[2] = bytes - bytes / 2;
        return new AddressCounters(a, bytes > 0, p, b, cleared);
    }

    private static TableAddress host(int a, int b, int c, int d) {
        return new TableAddress(AddressFamily.INET, new byte[] {(byte) a, (byte) b, (byte) c, (byte) d}, 32, false);
    }
}
