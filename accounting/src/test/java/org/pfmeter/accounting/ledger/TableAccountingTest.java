package org.pfmeter.accounting.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pfmeter.accounting.store.AccountingStore;
import org.pfmeter.accounting.store.SeriesKey;
import org.pfmeter.accounting.store.SeriesKind;
import org.pfmeter.accounting.store.SeriesUsage;
import org.pfmeter.accounting.store.SlotUsage;
import org.pfmeter.accounting.store.StoreConfig;
import org.pfmeter.pf.PfReader;
import org.pfmeter.pf.model.PfSnapshot;
import org.pfmeter.pf.model.TableAction;
import org.pfmeter.pf.model.TableAddress;
import org.pfmeter.pf.model.TableKey;
import org.pfmeter.pf.sim.Fault;
import org.pfmeter.pf.sim.GroundTruth;
import org.pfmeter.pf.sim.SimClock;
import org.pfmeter.pf.sim.SimConfig;
import org.pfmeter.pf.sim.SimulatedPf;

/**
 * Tables and table entries accounted over a simulated half day with every kind of reset pf has for
 * them, and pfmeter killed twice: what the ledger stored per table and per address equals the
 * simulator's ground truth to the byte ({@link SimulatedPf#tableTruth()},
 * {@link SimulatedPf#addressTruth()}).
 */
class TableAccountingTest {

    static final String HOST = "fw1";
    static final Instant START = Instant.parse("2026-10-01T00:00:00Z");
    static final TableKey ADMINS = new TableKey("", "admins");   // no counters flag: entries never counted

    @TempDir
    Path dir;

    /** What happens before the poll of minute {@code at}. */
    record Event(int at, String what) {
    }

    static final List<Event> EVENTS = List.of(
            new Event(37, "table-flush"),
            new Event(97, "address-readd"),
            new Event(98, "address-readd"),           // the same entry again, before any read: its counters start again twice
            new Event(151, "kill"),                   // after the poll of minute 150, its bucket still open
            new Event(201, "zero"),                   // pfctl -z and pfctl -T zero
            new Event(263, "ruleset-reload"),
            new Event(317, "pf-restart"),
            new Event(371, "table-flush"),
            new Event(371, "address-readd"),
            new Event(433, "kill-in-flight"),         // killed with a poll read and not stored
            new Event(500, "zero"),
            new Event(612, "address-readd"));

    @Test
    void tablesAndAddressesAreAccountedToTheByteAcrossFlushesZeroingReaddsRestartsAndKills() {
        SimClock clock = SimClock.manual(START);
        SimConfig config = SimConfig.defaults();
        SimulatedPf pf = new SimulatedPf(config, clock);
        List<TableKey> counting = new ArrayList<>(pf.addressTruth().keySet());
        assertThat(counting).isNotEmpty();
        List<TableKey> named = new ArrayList<>(counting);
        named.add(ADMINS);
        PfReader reader = new PfReader(pf, config.kernelRelease(), clock, 5, named);
        StoreConfig db = StoreConfig.h2(dir);
        AccountingStore store = AccountingStore.open(db);
        Ledger ledger = new Ledger(store, LedgerOptions.defaults(), Clock.offset(clock, Duration.ZERO));
        int minutes = 720;
        int next = 0;
        int kills = 0;
        try {
            for (int m = 0; m <= minutes; m++) {
                Instant t = START.plus(Duration.ofMinutes(m));
                advanceTo(clock, t.minusSeconds(7));
                while (next < EVENTS.size() && EVENTS.get(next).at() == m) {
                    switch (EVENTS.get(next++).what()) {
                        case "table-flush" -> pf.inject(Fault.TABLE_FLUSH);
                        case "address-readd" -> pf.inject(Fault.ADDRESS_READD);
                        case "zero" -> pf.inject(Fault.ZERO_COUNTERS);
                        case "ruleset-reload" -> pf.inject(Fault.RULESET_RELOAD);
                        case "pf-restart" -> pf.inject(Fault.PF_RESTART);
                        case "kill" -> {
                            store.abandon();
                            kills++;
                            store = AccountingStore.open(db);
                            ledger = new Ledger(store, LedgerOptions.defaults(), Clock.offset(clock, Duration.ZERO));
                        }
                        case "kill-in-flight" -> {
                            PfSnapshot lost = reader.poll();
                            assertThat(lost.tableAddresses().value()).isPresent();
                            store.abandon();
                            kills++;
                            store = AccountingStore.open(db);
                            ledger = new Ledger(store, LedgerOptions.defaults(), Clock.offset(clock, Duration.ZERO));
                        }
                        default -> throw new IllegalStateException();
                    }
                }
                advanceTo(clock, t);
                PfSnapshot s = reader.poll();
                assertThat(s.tables().value()).as("tables at minute %d", m).isPresent();
                assertThat(s.tableAddresses().value()).as("addresses at minute %d", m).isPresent();
                RecordResult r = ledger.record(HOST, s);
                assertThat(r.outcome()).as("poll of minute %d: %s", m, r.error()).isEqualTo(RecordResult.Outcome.WRITTEN);
            }
            assertThat(kills).isEqualTo(2);
            Instant end = START.plus(Duration.ofMinutes(minutes + 5));

            // per address: the ledger's sum equals what a perfect reader could have seen, to the byte
            Map<SeriesKey, SlotUsage> addresses = SeriesUsage.totals(store, HOST, SeriesKind.ADDRESS, START, end);
            Map<TableKey, Map<TableAddress, GroundTruth.Totals>> addressTruth = pf.addressTruth();
            int entries = 0;
            long resetBytes = 0;
            for (Map.Entry<TableKey, Map<TableAddress, GroundTruth.Totals>> t : addressTruth.entrySet()) {
                for (Map.Entry<TableAddress, GroundTruth.Totals> a : t.getValue().entrySet()) {
                    GroundTruth.Counts want = a.getValue().observable();
                    SlotUsage got = addresses.get(SeriesKey.address(t.getKey(), a.getKey()));
                    assertThat(counts(got)).as("%s %s", t.getKey(), a.getKey()).isEqualTo(want);
                    entries++;
                    resetBytes += a.getValue().discarded().bytesIn() + a.getValue().discarded().bytesOut();
                }
            }
            assertThat(entries).isGreaterThan(10);
            assertThat(resetBytes).as("the resets discarded traffic nobody read: the test exercises them").isPositive();
            assertThat(addresses.values().stream().mapToLong(SlotUsage::bytesIn).sum()).isPositive();
            // entries of a table without the counters flag: accounted (their resets too), always at zero
            assertThat(addresses.entrySet()).filteredOn(e -> e.getKey().tableKey().equals(ADMINS)).isNotEmpty()
                    .allSatisfy(e -> assertThat(counts(e.getValue())).isEqualTo(GroundTruth.Counts.ZERO));

            // per table: the tables' own counters, every table pf has
            Map<SeriesKey, SlotUsage> tables = SeriesUsage.totals(store, HOST, SeriesKind.TABLE, START, end);
            Map<TableKey, GroundTruth.Totals> tableTruth = pf.tableTruth();
            assertThat(tableTruth).hasSizeGreaterThan(counting.size());
            for (Map.Entry<TableKey, GroundTruth.Totals> t : tableTruth.entrySet()) {
                assertThat(counts(tables.get(SeriesKey.table(t.getKey())))).as("table %s", t.getKey())
                        .isEqualTo(t.getValue().observable());
            }
            assertThat(tableTruth.values().stream().mapToLong(x -> x.discarded().bytesIn()).sum()).isPositive();

            // per action: every table's and entry's block, match, pass (and a table's xpass) series
            // equal the ground truth of that action to the byte, and add up to the sum
            Map<TableAction, Long> bytesByAction = new EnumMap<>(TableAction.class);
            for (TableAction op : TableAction.values()) {
                Map<SeriesKey, SlotUsage> byAction = SeriesUsage.totals(store, HOST, SeriesKind.table(op), START, end);
                for (Map.Entry<TableKey, GroundTruth.Totals> t : pf.tableTruth(op).entrySet()) {
                    GroundTruth.Counts got = counts(byAction.get(SeriesKey.tableAction(t.getKey(), op)));
                    assertThat(got).as("table %s %s", t.getKey(), op).isEqualTo(t.getValue().observable());
                    bytesByAction.merge(op, got.bytesIn() + got.bytesOut(), Long::sum);
                }
                if (op == TableAction.XPASS) {
                    continue;
                }
                Map<SeriesKey, SlotUsage> entriesByAction = SeriesUsage.totals(store, HOST, SeriesKind.address(op), START, end);
                for (Map.Entry<TableKey, Map<TableAddress, GroundTruth.Totals>> t : pf.addressTruth(op).entrySet()) {
                    for (Map.Entry<TableAddress, GroundTruth.Totals> a : t.getValue().entrySet()) {
                        GroundTruth.Counts got = counts(entriesByAction.get(SeriesKey.addressAction(t.getKey(), a.getKey(), op)));
                        assertThat(got).as("%s %s %s", t.getKey(), a.getKey(), op).isEqualTo(a.getValue().observable());
                    }
                }
                long entryBytes = entriesByAction.values().stream().mapToLong(u -> u.bytesIn() + u.bytesOut()).sum();
                if (op != TableAction.MATCH) {
                    assertThat(entryBytes).as("entries' %s bytes", op).isPositive();
                }
            }
            // the simulated rules pass and block at tables (match rules and xpass it has not)
            assertThat(bytesByAction.get(TableAction.PASS)).isPositive();
            assertThat(bytesByAction.get(TableAction.BLOCK)).isPositive();
            for (Map.Entry<TableKey, GroundTruth.Totals> t : tableTruth.entrySet()) {
                GroundTruth.Counts actions = GroundTruth.Counts.ZERO;
                for (TableAction op : TableAction.values()) {
                    actions = actions.plus(counts(SeriesUsage.totals(store, HOST, SeriesKind.table(op), START, end)
                            .get(SeriesKey.tableAction(t.getKey(), op))));
                }
                assertThat(actions).as("table %s: the actions add up to the sum", t.getKey()).isEqualTo(t.getValue().observable());
            }

            // the resets are in the audit trail; label readers see labels only
            Map<String, Integer> events = store.query("events", c -> {
                Map<String, Integer> m = new TreeMap<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT kind, COUNT(*) FROM ledger_event WHERE host = ? GROUP BY kind");
                     ResultSet rs = setHost(ps).executeQuery()) {
                    while (rs.next()) {
                        m.put(rs.getString(1), rs.getInt(2));
                    }
                }
                return m;
            });
            assertThat(events).containsKeys("address-counters-cleared", "table-counters-cleared");
            assertThat(store.labels(java.util.Optional.of(HOST))).isNotEmpty()
                    .noneMatch(k -> counting.stream().anyMatch(t -> k.label().startsWith(t.name())));
        } finally {
            store.close();
        }
    }

    private static void advanceTo(SimClock clock, Instant t) {
        Duration d = Duration.between(clock.instant(), t);
        if (!d.isNegative() && !d.isZero()) {
            clock.advance(d);
        }
    }

    private static PreparedStatement setHost(PreparedStatement ps) throws java.sql.SQLException {
        ps.setString(1, HOST);
        return ps;
    }

    private static GroundTruth.Counts counts(SlotUsage u) {
        return u == null ? GroundTruth.Counts.ZERO : new GroundTruth.Counts(u.packetsIn(), u.packetsOut(), u.bytesIn(), u.bytesOut());
    }
}
