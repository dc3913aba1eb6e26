package org.pfmeter.accounting.bills;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.pfmeter.accounting.billing.BillingPeriod;
import org.pfmeter.accounting.ledger.Ledger;
import org.pfmeter.accounting.ledger.LedgerOptions;
import org.pfmeter.accounting.ledger.RecordResult;
import org.pfmeter.accounting.store.AccountingStore;
import org.pfmeter.accounting.store.SeriesKey;
import org.pfmeter.accounting.store.SeriesKind;
import org.pfmeter.accounting.store.StoreConfig;
import org.pfmeter.pf.PfReader;
import org.pfmeter.pf.model.LabelKey;
import org.pfmeter.pf.model.TableAction;
import org.pfmeter.pf.model.TableAddress;
import org.pfmeter.pf.model.TableKey;
import org.pfmeter.pf.sim.Fault;
import org.pfmeter.pf.sim.GroundTruth;
import org.pfmeter.pf.sim.SimClock;
import org.pfmeter.pf.sim.SimConfig;
import org.pfmeter.pf.sim.SimulatedPf;

/**
 * Three simulated months of the SMALL firewall (labels, tables and table entries accounted, with
 * reloads, zeroing, table flushes, re-added entries and a kill of pfmeter), polled every 5 minutes,
 * with the daemon's storing of closed periods after every poll, billed by bills over labels, an
 * anchor glob, a table and a table's addresses, on billing days 5, 10, 15 and 20 in Europe/Berlin,
 * America/New_York and UTC (periods across the end of summer time in October and November). Per
 * bill and period the bytes equal the simulator's ground truth to the byte; the 95th percentile,
 * overage, intervals above the commit and burst headroom equal what the test computes on its own
 * from the raw 5-minute rows; and a closed period's stored figures stay as they are when later
 * data arrives and when the 5-minute rows of sealed days are deleted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BillsGroundTruthIT {

    static final String HOST = "fw1";
    static final Instant START = Instant.parse("2026-10-01T00:00:00Z");
    static final Instant END = Instant.parse("2026-12-21T00:00:00Z");
    static final Duration POLL = Duration.ofMinutes(5);

    static final String FILE = """
            [bill transit]
            customer  = Transit Ltd
            type      = 95th
            commit    = 6M
            direction = max
            day       = 15
            zone      = Europe/Berlin
            label     = egress-v4
            label     = glob:lan-*

            [bill transit-sum]
            type      = 95th
            commit    = 500M
            direction = aggregate
            day       = 15
            zone      = Europe/Berlin
            label     = egress-v4
            label     = glob:lan-*

            [bill globex]
            customer  = Globex
            type      = quota
            quota     = 2T
            direction = total
            day       = 5
            zone      = Europe/Berlin
            anchor    = customers/globex*

            [bill acme-table]
            type      = volume
            day       = 20
            zone      = America/New_York
            action    = all
            table     = customers/acme:acme-nets

            [bill globex-blocked]
            type      = volume
            day       = 20
            zone      = America/New_York
            action    = block
            table     = customers/globex:globex-nets

            [bill globex-addresses]
            type      = 95th
            commit    = 300k
            direction = in
            day       = 10
            table     = customers/acme:acme-nets
            address   = customers/globex:globex-nets *
            """;

    /** What the test itself takes to be each bill's series: written out, not the bills' matching. */
    static final Map<String, Predicate<SeriesKey>> MEMBERS = Map.of(
            "transit", k -> k.kind() == SeriesKind.LABEL && k.anchor().isEmpty()
                    && (k.label().equals("egress-v4") || k.label().startsWith("lan-")),
            "transit-sum", k -> k.kind() == SeriesKind.LABEL && k.anchor().isEmpty()
                    && (k.label().equals("egress-v4") || k.label().startsWith("lan-")),
            "globex", k -> k.kind() == SeriesKind.LABEL
                    && (k.anchor().equals("customers/globex") || k.anchor().equals("customers/globex/web")),
            "acme-table", k -> k.kind() == SeriesKind.TABLE && k.anchor().equals("customers/acme") && k.table().equals("acme-nets"),
            "globex-blocked", k -> k.kind() == SeriesKind.TABLE_BLOCK && k.anchor().equals("customers/globex")
                    && k.table().equals("globex-nets"),
            // no action given: what pf passed
            "globex-addresses", k -> (k.kind() == SeriesKind.TABLE_PASS && k.table().equals("acme-nets"))
                    || (k.kind() == SeriesKind.ADDRESS_PASS && k.anchor().equals("customers/globex") && k.table().equals("globex-nets")));

    BillsFile bills;
    AccountingStore store;
    /** The simulator's cumulative observable counts per series at each instant a period starts or ends. */
    final Map<Instant, Map<SeriesKey, GroundTruth.Counts>> truthAt = new HashMap<>();
    /** What the poll path stored, as it stored it. */
    final List<PeriodFigures> storedWhenClosed = new ArrayList<>();
    /** Per bill, per 5-minute slot with a stored poll or a row: bytes in and out, read once from usage_5m and host_poll_slot. */
    final Map<String, TreeMap<Long, long[]>> rawByBill = new HashMap<>();

    @BeforeAll
    void simulateThreeMonths(@TempDir Path dir) {
        bills = BillsFile.parse(FILE, "test.bills");
        TreeSet<Instant> boundaries = new TreeSet<>();
        for (Bill b : bills.bills()) {
            for (BillingPeriod p = b.cycle().periodContaining(START); p.start().isBefore(END); p = p.next()) {
                boundaries.add(p.start());
                boundaries.add(p.end());
            }
        }
        SimClock clock = SimClock.manual(START);
        SimConfig config = SimConfig.defaults();
        SimulatedPf pf = new SimulatedPf(config, clock);
        List<TableKey> counting = new ArrayList<>(pf.addressTruth().keySet());
        PfReader reader = new PfReader(pf, config.kernelRelease(), clock, 5, counting);
        StoreConfig db = StoreConfig.h2(dir);
        store = AccountingStore.open(db);
        Ledger ledger = new Ledger(store, LedgerOptions.defaults(), Clock.offset(clock, Duration.ZERO));
        Bills daemon = new Bills(store, bills);
        Map<Long, Fault> faults = Map.of(
                3_001L, Fault.RULESET_RELOAD, 7_777L, Fault.ZERO_COUNTERS, 9_123L, Fault.TABLE_FLUSH,
                12_345L, Fault.ADDRESS_READD, 20_202L, Fault.PF_RESTART);
        long n = 0;
        for (Instant t = START; !t.isAfter(END); t = t.plus(POLL), n++) {
            advanceTo(clock, t.minusSeconds(41));
            Fault f = faults.get(n);
            if (f != null) {
                pf.inject(f);
            }
            if (n == 15_000) {
                // kill -9 with a poll read and not stored: the next poll's delta covers it
                reader.poll();
                store.abandon();
                store = AccountingStore.open(db);
                ledger = new Ledger(store, LedgerOptions.defaults(), Clock.offset(clock, Duration.ZERO));
                daemon = new Bills(store, bills);
            }
            advanceTo(clock, t);
            RecordResult r = ledger.record(HOST, reader.poll());
            assertThat(r.outcome()).as("poll at %s: %s", t, r.error()).isEqualTo(RecordResult.Outcome.WRITTEN);
            storedWhenClosed.addAll(daemon.storeClosed(t));
            if (boundaries.contains(t) || t.equals(START) || t.equals(END)) {
                truthAt.put(t, truth(pf));
            }
        }
        readRawRows();
    }

    @AfterAll
    void close() {
        store.close();
    }

    @Test
    @Order(1)
    void every_bill_and_period_equals_the_ground_truth_and_the_percentile_recomputed_from_the_5_minute_rows() {
        Bills read = new Bills(store, bills);
        int checked = 0;
        for (Bill b : bills.bills()) {
            List<PeriodFigures> history = read.history(b, END, 3);
            assertThat(history).hasSize(4);
            assertThat(history.subList(0, 3)).allSatisfy(f -> assertThat(f.closed() && f.stored()).as("%s %s", b.name(), f.period()).isTrue());
            assertThat(history.get(3).closed()).isFalse();
            for (PeriodFigures f : history) {
                String what = b.name() + " " + f.period();
                Instant from = f.start().isBefore(START) ? START : f.start();
                Instant to = f.closed() ? f.end() : END;
                GroundTruth.Counts want = sum(truthAt.get(to), MEMBERS.get(b.name())).minus(sum(truthAt.get(from), MEMBERS.get(b.name())));
                assertThat(new GroundTruth.Counts(f.packetsIn(), f.packetsOut(), f.bytesIn(), f.bytesOut())).as(what).isEqualTo(want);
                assertThat(f.bytesTotal()).as(what).isPositive();
                // closed periods: the rows of usage_5m; the current one also has its open bucket in the journal
                Raw raw = f.closed() ? raw(b.name(), f.start(), f.end()) : raw(read.sums(b, b.cycle().period(f.period())));
                assertThat(f.samples()).as(what).isEqualTo(raw.samples.length);
                assertThat(f.periodSlots()).as(what).isEqualTo((int) (Duration.between(f.start(), f.end()).getSeconds() / 300));
                if (b.type() instanceof BillType.Percentile95 p) {
                    long[] series = switch (p.direction()) {
                        case IN -> raw.in();
                        case OUT -> raw.out();
                        case AGGREGATE -> raw.sum();
                        case MAX -> null;
                    };
                    long p95;
                    int above;
                    if (series == null) {
                        p95 = Math.max(p95(raw.in()), p95(raw.out()));
                        above = Math.max(above(raw.in(), p.commitBitsPerSecond()), above(raw.out(), p.commitBitsPerSecond()));
                    } else {
                        p95 = p95(series);
                        above = above(series, p.commitBitsPerSecond());
                    }
                    assertThat(f.p95Bytes()).as(what).isEqualTo(p95);
                    assertThat(f.aboveCommit()).as(what).isEqualTo(above);
                    double rate = p95 * 8.0 / 300;
                    assertThat(f.overageBitsPerSecond()).as(what).isEqualTo(Math.max(0, rate - p.commitBitsPerSecond()));
                    int allowed = (f.closed() ? raw.samples.length : f.periodSlots()) / 20;
                    assertThat(f.burstHeadroom()).as(what).isEqualTo(Math.max(0, allowed - above));
                }
                if (b.type() instanceof BillType.Quota q) {
                    assertThat(f.remainingBytes().getAsLong()).as(what).isEqualTo(Math.max(0, q.quotaBytes() - want.bytesIn() - want.bytesOut()));
                    assertThat(f.overageBytes().getAsLong()).as(what).isEqualTo(Math.max(0, want.bytesIn() + want.bytesOut() - q.quotaBytes()));
                }
                checked++;
            }
        }
        assertThat(checked).isEqualTo(24);
        // the figures are not all trivially zero: overage and headroom both happen
        List<PeriodFigures> all = new ArrayList<>();
        for (Bill b : bills.bills()) {
            all.addAll(read.history(b, END, 3));
        }
        assertThat(all).anyMatch(f -> f.overageBitsPerSecond() > 0);
        assertThat(all).anyMatch(f -> f.aboveCommit() >= f.burstAllowance() && f.burstHeadroom() == 0);

        // a commit between the 95th percentile and the peak: some intervals above it, headroom left
        Bill transit = bills.bill("transit");
        PeriodFigures oct = read.figures(transit, transit.cycle().period("2026-10"), END);
        Raw raw = raw("transit", oct.start(), oct.end());
        long[] in = raw.in().clone();
        Arrays.sort(in);
        long commit = (long) Math.ceil(in[in.length - 1 - in.length / 40] * 8.0 / 300);
        BillsFile tight = BillsFile.parse("[bill tight]\ntype = 95th\ncommit = " + commit + "\ndirection = in\nday = 15\n"
                + "zone = Europe/Berlin\nlabel = egress-v4\nlabel = glob:lan-*\n", "tight.bills");
        PeriodFigures t = new Bills(store, tight).figures(tight.bill("tight"), transit.cycle().period("2026-10"), END);
        assertThat(t.stored()).isFalse();
        int above = above(raw.in(), commit);
        assertThat(above).isBetween(1, raw.samples.length / 20 - 1);
        assertThat(t.aboveCommit()).isEqualTo(above);
        assertThat(t.burstHeadroom()).isEqualTo(raw.samples.length / 20 - above).isPositive();
        assertThat(t.overageBitsPerSecond()).isZero();
        assertThat(all).anyMatch(f -> f.overageBytes().orElse(0) > 0);
        assertThat(all).anyMatch(f -> f.remainingBytes().orElse(0) > 0);
    }

    @Test
    @Order(2)
    void a_period_across_the_end_of_summer_time_is_an_hour_longer() {
        Bill transit = bills.bill("transit");
        PeriodFigures oct = new Bills(store, bills).figures(transit, transit.cycle().period("2026-10"), END);
        assertThat(oct.start()).isEqualTo(Instant.parse("2026-10-14T22:00:00Z"));
        assertThat(oct.end()).isEqualTo(Instant.parse("2026-11-14T23:00:00Z"));
        assertThat(oct.periodSlots()).isEqualTo(31 * 288 + 12);
        Bill table = bills.bill("acme-table");
        PeriodFigures ny = new Bills(store, bills).figures(table, table.cycle().period("2026-10"), END);
        assertThat(ny.start()).isEqualTo(Instant.parse("2026-10-20T04:00:00Z"));
        assertThat(ny.end()).isEqualTo(Instant.parse("2026-11-20T05:00:00Z"));
    }

    /** Changes the database: runs last. */
    @Test
    @Order(3)
    void the_poll_path_stored_each_closed_period_once_and_later_data_and_retention_change_nothing_stored() throws Exception {
        // 3 closed periods of each of the 6 bills, each stored once, when it closed
        assertThat(storedWhenClosed).hasSize(18);
        assertThat(storedWhenClosed.stream().map(f -> f.bill() + " " + f.period()).distinct()).hasSize(18);
        Bills read = new Bills(store, bills);
        Map<String, PeriodFigures> before = stored(read);
        for (PeriodFigures f : storedWhenClosed) {
            PeriodFigures now = before.get(f.bill() + " " + f.period());
            assertThat(now.stored()).isTrue();
            assertThat(figuresOf(now)).isEqualTo(figuresOf(f));
        }
        // late data: a second firewall's rows for a closed period (a fleet member that caught up late)
        Bill transit = bills.bill("transit");
        BillingPeriod oct = transit.cycle().period("2026-10");
        store.inTransaction("late rows", c -> {
            try (Statement st = c.createStatement()) {
                st.executeUpdate("INSERT INTO series (host, kind, anchor, table_name, label) VALUES ('late', 'label', '', '', 'egress-v4')");
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO usage_5m (bucket_start, series_id, packets_in, packets_out,"
                    + " bytes_in, bytes_out, evaluations, states_created, states_max, polls, resets)"
                    + " SELECT ?, series_id, 1, 1, 123456789, 987654321, 0, 0, 0, 1, 0 FROM series WHERE host = 'late'")) {
                ps.setObject(1, Instant.parse("2026-11-01T12:00:00Z").atOffset(ZoneOffset.UTC));
                ps.executeUpdate();
            }
            return null;
        });
        assertThat(read.sums(transit, oct).bytesIn()).as("the late rows are read").satisfies(a ->
                assertThat(Arrays.stream(a).sum()).isEqualTo(before.get("transit 2026-10").bytesIn() + 123456789));
        // retention: the 5-minute rows of every sealed day deleted
        int deleted = store.inTransaction("retention", c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM usage_5m WHERE bucket_start < (SELECT sealed_until FROM pf_host"
                    + " WHERE host = ?)")) {
                ps.setString(1, HOST);
                return ps.executeUpdate();
            }
        });
        assertThat(deleted).isGreaterThan(100_000);
        assertThat(stored(read)).isEqualTo(before);
        // and a period nobody stored is still computed from the sealed days, to the same figures
        store.inTransaction("forget one stored period", c -> {
            try (Statement st = c.createStatement()) {
                return st.executeUpdate("DELETE FROM bill_period WHERE bill = 'globex' AND period = '2026-10'");
            }
        });
        Bill globex = bills.bill("globex");
        PeriodFigures again = read.figures(globex, globex.cycle().period("2026-10"), END);
        assertThat(again.stored()).isFalse();
        assertThat(figuresOf(again)).isEqualTo(figuresOf(before.get("globex 2026-10")));
    }

    private Map<String, PeriodFigures> stored(Bills read) {
        Map<String, PeriodFigures> m = new TreeMap<>();
        BillStore s = new BillStore(store);
        for (Bill b : bills.bills()) {
            s.periods(b.name()).values().forEach(f -> m.put(b.name() + " " + f.period(), f));
        }
        return m;
    }

    /** The figures without the flags that say where they came from. */
    private static List<Object> figuresOf(PeriodFigures f) {
        return List.of(f.bill(), f.period(), f.start(), f.end(), f.type(), f.bytesIn(), f.bytesOut(), f.packetsIn(),
                f.packetsOut(), f.samples(), f.periodSlots(), f.p95Bytes(), f.aboveCommit());
    }

    /** The 5-minute samples of a period, straight from usage_5m and host_poll_slot. */
    record Raw(long[] samples, long[] in, long[] out, long[] sum) {
    }

    /** The rows of usage_5m per bill and slot, and every slot with a stored poll, in one pass. */
    private void readRawRows() {
        store.query("raw rows", c -> {
            TreeSet<Long> polled = new TreeSet<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT slot_start FROM host_poll_slot");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    polled.add(rs.getObject(1, OffsetDateTime.class).toEpochSecond());
                }
            }
            for (String bill : MEMBERS.keySet()) {
                TreeMap<Long, long[]> m = new TreeMap<>();
                polled.forEach(t -> m.put(t, new long[2]));
                rawByBill.put(bill, m);
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT u.bucket_start, s.kind, s.anchor, s.table_name, s.label, u.bytes_in,"
                    + " u.bytes_out FROM usage_5m u JOIN series s ON s.series_id = u.series_id")) {
                ps.setFetchSize(10_000);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        SeriesKey k = new SeriesKey(SeriesKind.ofSql(rs.getString(2)), rs.getString(3), rs.getString(4), rs.getString(5));
                        for (Map.Entry<String, Predicate<SeriesKey>> e : MEMBERS.entrySet()) {
                            if (e.getValue().test(k)) {
                                long[] v = rawByBill.get(e.getKey()).computeIfAbsent(rs.getObject(1, OffsetDateTime.class).toEpochSecond(),
                                        x -> new long[2]);
                                v[0] += rs.getLong(6);
                                v[1] += rs.getLong(7);
                            }
                        }
                    }
                }
            }
            return null;
        });
    }

    /** The 5-minute samples of a bill's closed period, from the raw rows. */
    private Raw raw(String bill, Instant from, Instant to) {
        var slots = rawByBill.get(bill).subMap(from.getEpochSecond(), true, to.getEpochSecond(), false);
        int n = slots.size();
        long[] in = new long[n];
        long[] out = new long[n];
        long[] sum = new long[n];
        int i = 0;
        for (long[] v : slots.values()) {
            in[i] = v[0];
            out[i] = v[1];
            sum[i] = v[0] + v[1];
            i++;
        }
        return new Raw(slots.keySet().stream().mapToLong(Long::longValue).toArray(), in, out, sum);
    }

    /** The samples of the 5-minute sums of the bills' reader: the polled intervals and those with traffic. */
    private static Raw raw(org.pfmeter.accounting.store.SeriesSlots.Sums s) {
        List<long[]> l = new ArrayList<>();
        for (int i = 0; i < s.slots(); i++) {
            if (s.polled().get(i) || s.bytesIn()[i] != 0 || s.bytesOut()[i] != 0) {
                l.add(new long[] {s.first() + 300L * i, s.bytesIn()[i], s.bytesOut()[i]});
            }
        }
        return new Raw(l.stream().mapToLong(v -> v[0]).toArray(), l.stream().mapToLong(v -> v[1]).toArray(),
                l.stream().mapToLong(v -> v[2]).toArray(), l.stream().mapToLong(v -> v[1] + v[2]).toArray());
    }

    /** The 95th percentile of transit billing: sort, the sample at ceil(0.95 n) − 1. */
    private static long p95(long[] v) {
        long[] s = v.clone();
        Arrays.sort(s);
        return s.length == 0 ? 0 : s[(int) Math.ceil(0.95 * s.length) - 1];
    }

    private static int above(long[] v, long commit) {
        int n = 0;
        for (long x : v) {
            if (x * 8.0 / 300 > commit) {
                n++;
            }
        }
        return n;
    }

    private static GroundTruth.Counts sum(Map<SeriesKey, GroundTruth.Counts> at, Predicate<SeriesKey> member) {
        GroundTruth.Counts c = GroundTruth.Counts.ZERO;
        for (Map.Entry<SeriesKey, GroundTruth.Counts> e : at.entrySet()) {
            if (member.test(e.getKey())) {
                c = c.plus(e.getValue());
            }
        }
        return c;
    }

    private static Map<SeriesKey, GroundTruth.Counts> truth(SimulatedPf pf) {
        Map<SeriesKey, GroundTruth.Counts> m = new HashMap<>();
        for (Map.Entry<LabelKey, GroundTruth.Totals> e : pf.groundTruth().labels().entrySet()) {
            m.put(SeriesKey.label(e.getKey()), e.getValue().observable());
        }
        for (Map.Entry<TableKey, GroundTruth.Totals> e : pf.tableTruth().entrySet()) {
            m.put(SeriesKey.table(e.getKey()), e.getValue().observable());
        }
        for (Map.Entry<TableKey, Map<TableAddress, GroundTruth.Totals>> t : pf.addressTruth().entrySet()) {
            for (Map.Entry<TableAddress, GroundTruth.Totals> a : t.getValue().entrySet()) {
                m.put(SeriesKey.address(t.getKey(), a.getKey()), a.getValue().observable());
            }
        }
        for (TableAction op : TableAction.values()) {
            pf.tableTruth(op).forEach((t, v) -> m.put(SeriesKey.tableAction(t, op), v.observable()));
            if (op == TableAction.XPASS) {
                continue;
            }
            for (Map.Entry<TableKey, Map<TableAddress, GroundTruth.Totals>> t : pf.addressTruth(op).entrySet()) {
                t.getValue().forEach((a, v) -> m.put(SeriesKey.addressAction(t.getKey(), a, op), v.observable()));
            }
        }
        return m;
    }

    private static void advanceTo(SimClock clock, Instant t) {
        Duration d = Duration.between(clock.instant(), t);
        if (!d.isNegative() && !d.isZero()) {
            clock.advance(d);
        }
    }
}
