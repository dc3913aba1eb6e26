package org.pfmeter.accounting.simulate;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.pfmeter.accounting.ledger.Ledger;
import org.pfmeter.accounting.ledger.LedgerOptions;
import org.pfmeter.accounting.ledger.LedgerStats;
import org.pfmeter.accounting.ledger.RecordResult;
import org.pfmeter.accounting.store.AccountingStore;
import org.pfmeter.accounting.store.BucketRows;
import org.pfmeter.accounting.store.SeriesKey;
import org.pfmeter.accounting.store.SeriesKind;
import org.pfmeter.accounting.store.SeriesUsage;
import org.pfmeter.accounting.store.SlotGrid;
import org.pfmeter.accounting.store.SlotUsage;
import org.pfmeter.accounting.store.StoreConfig;
import org.pfmeter.pf.FreeBsdPfReader;
import org.pfmeter.pf.PfReader;
import org.pfmeter.pf.PfSnapshotReader;
import org.pfmeter.pf.SourceNodeOptions;
import org.pfmeter.pf.abi.AbiRelease;
import org.pfmeter.pf.abi.FreeBsdRelease;
import org.pfmeter.pf.abi.PfRelease;
import org.pfmeter.pf.model.LabelKey;
import org.pfmeter.pf.model.PfSnapshot;
import org.pfmeter.pf.model.TableAction;
import org.pfmeter.pf.model.TableAddress;
import org.pfmeter.pf.model.TableKey;
import org.pfmeter.pf.sim.Fault;
import org.pfmeter.pf.sim.GroundTruth;
import org.pfmeter.pf.sim.SimClock;
import org.pfmeter.pf.sim.SimConfig;
import org.pfmeter.pf.sim.SimScale;
import org.pfmeter.pf.sim.SimulatedPf;
import org.pfmeter.pf.sim.freebsd.SimulatedFreeBsd;

/**
 * Simulated months: drives the simulated pf on a manual clock through N days of traffic, polling it
 * at a fixed interval and recording every poll in the ledger, with ruleset reloads, counter zeroing,
 * pf restarts and process crashes along the way, then returns the simulator's ground truth (what a
 * perfect reader could have counted) next to what the ledger stored, per label, per table (the
 * tables' own counters) and per entry of the tables the plan names for per-address counters (as
 * {@code tables.address-counters} names them to the daemon). {@code pfmeter simulate --days N
 * --db PATH} is this plus {@link #print}.
 *
 * <p>A crash is a kill -9 between reading pf and committing the poll: the poll just read is lost,
 * the in-memory ledger is thrown away, the store is abandoned without cleanup
 * ({@link AccountingStore#abandon()}), and after a down time the store is opened again and a new
 * ledger continues from the counters in the database. Nothing is lost: the next poll's delta
 * covers the lost one.
 *
 * <p>No sleeping: the clock is the simulator's; a 35-day month at a 5-minute poll interval takes
 * seconds.
 */
public final class MonthSimulation {

    /** Something that happens at an offset from the start. */
    public record Event(Duration at, Kind kind) {
        public enum Kind {
            /** pfctl -f with an edited pf.conf: new checksum, all rule counters zero. */
            RULESET_RELOAD,
            /** pfctl -z: counters zeroed, same checksum. */
            ZERO_COUNTERS,
            /** pf disabled, flushed, reloaded and enabled: new {@code since}, counters zero. */
            PF_RESTART,
            /** pfmeter is killed (kill -9) and started again 10 minutes later. */
            CRASH
        }

        public Event {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(kind, "kind");
        }

        static Event at(String offset, Kind kind) {
            return new Event(Duration.parse(offset), kind);
        }

        Event shift(Duration d) {
            return new Event(at.plus(d), kind);
        }
    }

    /**
     * @param start        when the simulated firewall starts (and the first poll, the baseline)
     * @param days         how many days to simulate
     * @param pollInterval how often pfmeter polls
     * @param host         the host name stored in every row
     * @param addressTables  the tables whose entries each poll reads and the ledger accounts (none by
     *                       default, as in the daemon)
     * @param release      the release the simulated kernel speaks (OpenBSD 8.0 by default; {@code --sim-release})
     */
    public record Plan(Instant start, int days, Duration pollInterval, long seed, SimScale scale, long counterStart,
                       String host, List<Event> events, List<TableKey> addressTables, PfRelease release) {

        /** How long pfmeter stays down after a crash. */
        public static final Duration DOWN_TIME = Duration.ofMinutes(10);

        public Plan {
            if (days < 1) {
                throw new IllegalArgumentException("--days must be at least 1, got " + days);
            }
            if (pollInterval.compareTo(Duration.ofSeconds(1)) < 0 || pollInterval.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("the poll interval must be 1 s to 1 h, got " + pollInterval);
            }
            events = events.stream().sorted(Comparator.comparing(Event::at)).toList();
            addressTables = List.copyOf(addressTables);
            java.util.Objects.requireNonNull(release, "release");
        }

        /** A plan on the default simulated release. */
        public Plan(Instant start, int days, Duration pollInterval, long seed, SimScale scale, long counterStart,
                    String host, List<Event> events, List<TableKey> addressTables) {
            this(start, days, pollInterval, seed, scale, counterStart, host, events, addressTables,
                    SimConfig.defaults().kernelRelease());
        }

        /** A plan that names no table for per-address counters. */
        public Plan(Instant start, int days, Duration pollInterval, long seed, SimScale scale, long counterStart,
                    String host, List<Event> events) {
            this(start, days, pollInterval, seed, scale, counterStart, host, events, List.of());
        }

        public Instant end() {
            return start.plus(Duration.ofDays(days));
        }

        public Plan withPollInterval(Duration d) {
            return new Plan(start, days, d, seed, scale, counterStart, host, events, addressTables, release);
        }

        public Plan withStart(Instant s) {
            return new Plan(s, days, pollInterval, seed, scale, counterStart, host, events, addressTables, release);
        }

        public Plan withCounterStart(long c) {
            return new Plan(start, days, pollInterval, seed, scale, c, host, events, addressTables, release);
        }

        public Plan withHost(String h) {
            return new Plan(start, days, pollInterval, seed, scale, counterStart, h, events, addressTables, release);
        }

        public Plan withEvents(List<Event> e) {
            return new Plan(start, days, pollInterval, seed, scale, counterStart, host, e, addressTables, release);
        }

        public Plan withSeed(long s) {
            return new Plan(start, days, pollInterval, s, scale, counterStart, host, events, addressTables, release);
        }

        /** Each poll also reads the entries of {@code tables} (DIOCRGETASTATS), which the ledger accounts. */
        /** The release the simulated kernel speaks: an OpenBSD ABI, or FreeBSD's (its simulator). */
        public Plan withRelease(PfRelease r) {
            return new Plan(start, days, pollInterval, seed, scale, counterStart, host, events, addressTables, r);
        }

        public Plan withAddressTables(List<TableKey> tables) {
            return new Plan(start, days, pollInterval, seed, scale, counterStart, host, events, tables, release);
        }
    }

    /**
     * The default plan: from 2026-10-01 00:00 UTC, 60-second polls, the SMALL firewall, and every
     * week a ruleset reload, a counter zeroing, a pf restart and a crash at odd times of day (events
     * past the last day are left out).
     */
    public static Plan defaultPlan(int days) {
        List<Event> events = new ArrayList<>();
        for (int week = 0; week * 7 < days; week++) {
            String d = "P" + (week * 7);
            events.add(Event.at(d + "DT0S", Event.Kind.RULESET_RELOAD).shift(Duration.parse("P2DT7H13M10S")));
            events.add(Event.at(d + "DT0S", Event.Kind.CRASH).shift(Duration.parse("P3DT9H0M30S")));
            events.add(Event.at(d + "DT0S", Event.Kind.ZERO_COUNTERS).shift(Duration.parse("P4DT14H2M30S")));
            events.add(Event.at(d + "DT0S", Event.Kind.PF_RESTART).shift(Duration.parse("P5DT3H33M20S")));
        }
        Duration total = Duration.ofDays(days);
        return new Plan(Instant.parse("2026-10-01T00:00:00Z"), days, Duration.ofSeconds(60), SimConfig.DEFAULT_SEED,
                SimScale.SMALL, 0, "sim", events.stream().filter(e -> e.at().compareTo(total) < 0).toList());
    }

    /**
     * @param truth        the simulator's ground truth at the end
     * @param ledger       what the ledger stored for the simulated span, per label (packets and bytes)
     * @param polls        polls made (including those lost to crashes)
     * @param lostPolls    polls read but never recorded because of a crash
     * @param crashes      crashes and restarts
     * @param lastStats    the last ledger's statistics
     * @param seriesTruth  the ground truth per table (every table pf has) and per entry of the tables
     *                     the plan names (those of a table without the {@code counters} flag: none, pf
     *                     counts nothing on them)
     * @param seriesLedger what the ledger stored for the simulated span per table and per entry
     */
    public record Result(Plan plan, GroundTruth truth, Map<LabelKey, GroundTruth.Counts> ledger, int polls, int lostPolls,
                         int crashes, List<String> log, LedgerStats lastStats, Map<SeriesKey, GroundTruth.Totals> seriesTruth,
                         Map<SeriesKey, GroundTruth.Counts> seriesLedger) {

        /** Labels whose stored totals differ from the ground truth's observable totals. */
        public List<LabelKey> mismatches() {
            List<LabelKey> bad = new ArrayList<>();
            for (Map.Entry<LabelKey, GroundTruth.Totals> e : new TreeMap<>(truth.labels()).entrySet()) {
                GroundTruth.Counts stored = ledger.getOrDefault(e.getKey(), GroundTruth.Counts.ZERO);
                if (!stored.equals(e.getValue().observable())) {
                    bad.add(e.getKey());
                }
            }
            return bad;
        }

        /**
         * Tables and entries whose stored totals differ from the ground truth's observable totals; an
         * entry the ground truth does not have (of a table that does not count) must have stored zero.
         */
        public List<SeriesKey> seriesMismatches() {
            List<SeriesKey> bad = new ArrayList<>();
            java.util.Set<SeriesKey> keys = new java.util.TreeSet<>(SERIES_ORDER);
            keys.addAll(seriesTruth.keySet());
            keys.addAll(seriesLedger.keySet());
            for (SeriesKey k : keys) {
                GroundTruth.Counts want = Optional.ofNullable(seriesTruth.get(k)).map(GroundTruth.Totals::observable)
                        .orElse(GroundTruth.Counts.ZERO);
                if (!seriesLedger.getOrDefault(k, GroundTruth.Counts.ZERO).equals(want)) {
                    bad.add(k);
                }
            }
            return bad;
        }
    }

    private static final Comparator<SeriesKey> SERIES_ORDER = Comparator.comparing(SeriesKey::kind)
            .thenComparing(SeriesKey::anchor).thenComparing(SeriesKey::table).thenComparing(SeriesKey::label);

    private MonthSimulation() {
    }

    /** Runs {@code plan} against the database {@code config}. */
    public static Result run(StoreConfig config, Plan plan) {
        return run(config, plan, s -> { });
    }

    /** As {@link #run(StoreConfig, Plan)}, telling {@code progress} about every event. */
    public static Result run(StoreConfig config, Plan plan, Consumer<String> progress) {
        return run(config, plan, progress, t -> { });
    }

    /**
     * As {@link #run(StoreConfig, Plan, Consumer)}, also telling {@code polled} the simulated instant
     * of every poll (a progress line's clock).
     */
    public static Result run(StoreConfig config, Plan plan, Consumer<String> progress, Consumer<Instant> polled) {
        SimClock clock = SimClock.manual(plan.start());
        SimConfig simConfig = SimConfig.defaults().withSeed(plan.seed()).withScale(plan.scale())
                .withCounterStart(plan.counterStart());
        SimulatedPf pf;
        PfSnapshotReader reader;
        Supplier<GroundTruth> groundTruth;
        if (plan.release() instanceof FreeBsdRelease f) {
            // FreeBSD's pf over netlink (and /dev/pf for interfaces and table statistics), on the same
            // seeded kernel: faults go to that kernel, the labels' truth counts a two-label rule under each
            if (!plan.addressTables().isEmpty()) {
                throw new IllegalArgumentException("per-address table counters are not read on FreeBSD "
                        + "(no DIOCRGETASTATS reader yet): simulate " + f.id() + " without --address-table");
            }
            SimulatedFreeBsd sim = new SimulatedFreeBsd(simConfig, f, clock);
            pf = sim.kernel().pf();
            reader = new FreeBsdPfReader(sim.netlink(), sim.device(), clock,
                    org.pfmeter.pf.abi.PfProtocol.DEFAULT_BUSY_ATTEMPTS, SourceNodeOptions.DEFAULT);
            groundTruth = sim::groundTruth;
        } else {
            simConfig = simConfig.withRelease((AbiRelease) plan.release());
            pf = new SimulatedPf(simConfig, clock);
            reader = new PfReader(pf, simConfig.kernelRelease(), clock, org.pfmeter.pf.abi.PfProtocol.DEFAULT_BUSY_ATTEMPTS,
                    plan.addressTables());
            groundTruth = pf::groundTruth;
        }
        List<String> log = new ArrayList<>();
        Consumer<String> say = s -> {
            log.add(s);
            progress.accept(s);
        };

        AccountingStore store = AccountingStore.open(config);
        Ledger ledger = new Ledger(store, LedgerOptions.defaults(), Clock.offset(clock, Duration.ZERO));
        int polls = 0;
        int lost = 0;
        int crashes = 0;
        int nextEvent = 0;
        Instant downUntil = null;
        List<Event> events = plan.events();
        Instant end = plan.end();
        try {
            for (Instant t = plan.start(); !t.isAfter(end); t = t.plus(plan.pollInterval())) {
                // events due before this poll happen at their own instant
                while (nextEvent < events.size() && !plan.start().plus(events.get(nextEvent).at()).isAfter(t)) {
                    Event e = events.get(nextEvent++);
                    Instant at = plan.start().plus(e.at());
                    advanceTo(clock, at);
                    switch (e.kind()) {
                        case RULESET_RELOAD -> pf.inject(Fault.RULESET_RELOAD);
                        case ZERO_COUNTERS -> pf.inject(Fault.ZERO_COUNTERS);
                        case PF_RESTART -> pf.inject(Fault.PF_RESTART);
                        case CRASH -> {
                            // kill -9 right after a poll was read and before it was committed
                            PfSnapshot inFlight = reader.pollForLedger();
                            polls++;
                            lost++;
                            crashes++;
                            store.abandon();
                            say.accept(at + " crash: pfmeter killed with the poll of " + inFlight.takenAt()
                                    + " unrecorded; down for " + Plan.DOWN_TIME.toMinutes() + " minutes");
                            downUntil = at.plus(Plan.DOWN_TIME);
                            continue;
                        }
                        default -> throw new IllegalStateException(e.kind().name());
                    }
                    say.accept(at + " " + e.kind().name().toLowerCase(Locale.ROOT).replace('_', '-'));
                }
                advanceTo(clock, t);
                if (downUntil != null) {
                    if (t.isBefore(downUntil)) {
                        continue;
                    }
                    store = AccountingStore.open(config);
                    ledger = new Ledger(store, LedgerOptions.defaults(), Clock.offset(clock, Duration.ZERO));
                    say.accept(t + " restart: store reopened (" + store.describe() + "), the database holds polls up to "
                            + lastStoredPoll(store, plan.host()) + "; the ledger continues from there");
                    downUntil = null;
                }
                PfSnapshot s = reader.pollForLedger();
                polls++;
                polled.accept(t);
                RecordResult r = ledger.record(plan.host(), s);
                if (r.outcome() != RecordResult.Outcome.WRITTEN) {
                    say.accept(t + " poll not written: " + r.outcome() + r.error().map(x -> " " + x.getMessage()).orElse(""));
                }
            }
            if (downUntil != null) {
                store = AccountingStore.open(config);
            }
            GroundTruth truth = groundTruth.get();
            Map<LabelKey, GroundTruth.Counts> stored = storedTotals(store, plan);
            Map<SeriesKey, GroundTruth.Totals> seriesTruth = seriesTruth(pf, plan.addressTables());
            Map<SeriesKey, GroundTruth.Counts> seriesStored = storedSeriesTotals(store, plan);
            LedgerStats stats = ledger.stats();
            say.accept(end + " done: " + polls + " polls, " + crashes + " crashes; the last ledger counted " + stats.resets()
                    + " label resets, " + stats.tableResets() + " table resets and " + stats.addressResets() + " entry resets");
            return new Result(plan, truth, stored, polls, lost, crashes, log, stats, seriesTruth, seriesStored);
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

    private static String lastStoredPoll(AccountingStore store, String host) {
        return store.lastPoll(host).map(Instant::toString).orElse("(none)");
    }

    /** What the ledger stored for the plan's host over the simulated span (polls are booked up to the end). */
    static Map<LabelKey, GroundTruth.Counts> storedTotals(AccountingStore store, Plan plan) {
        return storedTotals(store, plan.host(), plan.start().minus(SlotGrid.LENGTH), plan.end());
    }

    /** The simulator's ground truth per table, and per entry of the {@code named} tables: summed and per action. */
    private static Map<SeriesKey, GroundTruth.Totals> seriesTruth(SimulatedPf pf, List<TableKey> named) {
        Map<SeriesKey, GroundTruth.Totals> m = new TreeMap<>(SERIES_ORDER);
        pf.tableTruth().forEach((t, v) -> m.put(SeriesKey.table(t), v));
        for (TableAction op : TableAction.values()) {
            pf.tableTruth(op).forEach((t, v) -> m.put(SeriesKey.tableAction(t, op), v));
        }
        for (Map.Entry<TableKey, Map<TableAddress, GroundTruth.Totals>> t : pf.addressTruth().entrySet()) {
            if (named.contains(t.getKey())) {
                t.getValue().forEach((a, v) -> m.put(SeriesKey.address(t.getKey(), a), v));
            }
        }
        for (TableAction op : List.of(TableAction.BLOCK, TableAction.MATCH, TableAction.PASS)) {
            for (Map.Entry<TableKey, Map<TableAddress, GroundTruth.Totals>> t : pf.addressTruth(op).entrySet()) {
                if (named.contains(t.getKey())) {
                    t.getValue().forEach((a, v) -> m.put(SeriesKey.addressAction(t.getKey(), a, op), v));
                }
            }
        }
        return m;
    }

    /** What the ledger stored for the plan's host per table and per entry over the simulated span. */
    private static Map<SeriesKey, GroundTruth.Counts> storedSeriesTotals(AccountingStore store, Plan plan) {
        Map<SeriesKey, GroundTruth.Counts> m = new TreeMap<>(SERIES_ORDER);
        for (SeriesKind kind : SeriesKind.values()) {
            if (kind == SeriesKind.LABEL) {
                continue;
            }
            SeriesUsage.totals(store, plan.host(), kind, plan.start().minus(SlotGrid.LENGTH), plan.end()).forEach((k, u) ->
                    m.put(k, new GroundTruth.Counts(u.packetsIn(), u.packetsOut(), u.bytesIn(), u.bytesOut())));
        }
        return m;
    }

    /**
     * Packets and bytes the ledger booked per label of {@code host} in the buckets starting in
     * {@code [from, to)}, closed and still open: what a simulation's ground truth is checked against.
     */
    public static Map<LabelKey, GroundTruth.Counts> storedTotals(AccountingStore store, String host, Instant from, Instant to) {
        return store.query("add up the stored usage of " + host, c -> {
            Map<LabelKey, GroundTruth.Counts> m = new TreeMap<>();
            for (BucketRows.Row r : BucketRows.read(c, Optional.of(host), from, to)) {
                SlotUsage u = r.usage();
                m.merge(r.key(), new GroundTruth.Counts(u.packetsIn(), u.packetsOut(), u.bytesIn(), u.bytesOut()),
                        GroundTruth.Counts::plus);
            }
            return m;
        });
    }

    /** Prints the ground truth per label beside the ledger's totals, one line per label, and a verdict. */
    public static void print(Result r, PrintStream out) {
        out.printf(Locale.ROOT, "simulated %d days from %s, poll every %ds, host %s: %d polls (%d lost to %d crashes)%n",
                r.plan().days(), r.plan().start(), r.plan().pollInterval().getSeconds(), r.plan().host(), r.polls(),
                r.lostPolls(), r.crashes());
        for (String line : r.log()) {
            out.println("  " + line);
        }
        out.printf(Locale.ROOT, "%-40s %20s %20s %16s %16s  %s%n", "label (ground truth: observable)", "bytes_in",
                "bytes_out", "packets_in", "packets_out", "ledger");
        long bytes = 0;
        for (Map.Entry<LabelKey, GroundTruth.Totals> e : new TreeMap<>(r.truth().labels()).entrySet()) {
            GroundTruth.Counts t = e.getValue().observable();
            GroundTruth.Counts s = r.ledger().getOrDefault(e.getKey(), GroundTruth.Counts.ZERO);
            bytes += t.bytesIn() + t.bytesOut();
            out.printf(Locale.ROOT, "%-40s %20d %20d %16d %16d  %s%n", e.getKey(), t.bytesIn(), t.bytesOut(),
                    t.packetsIn(), t.packetsOut(), s.equals(t) ? "equal" : "DIFFERS: " + s);
        }
        List<LabelKey> bad = r.mismatches();
        out.printf(Locale.ROOT, "%d labels, %d bytes in all; the ledger %s%n", r.truth().labels().size(), bytes,
                bad.isEmpty() ? "equals the ground truth to the byte" : "differs on " + bad.size() + " labels: " + bad);
        printSeries(r, SeriesKind.TABLE, "table", out);
        printSeries(r, SeriesKind.ADDRESS, "table entry", out);
        printActions(r, out);
    }

    /** One line for the series per action (table-pass, address-block, …): how many, and whether they equal the truth. */
    private static void printActions(Result r, PrintStream out) {
        java.util.Set<SeriesKey> keys = new java.util.TreeSet<>(SERIES_ORDER);
        r.seriesTruth().keySet().stream().filter(k -> k.kind().action().isPresent()).forEach(keys::add);
        r.seriesLedger().keySet().stream().filter(k -> k.kind().action().isPresent()).forEach(keys::add);
        if (keys.isEmpty()) {
            return;
        }
        List<SeriesKey> bad = new ArrayList<>(r.seriesMismatches());
        bad.removeIf(k -> k.kind().action().isEmpty());
        long passed = 0;
        long blocked = 0;
        for (SeriesKey k : keys) {
            GroundTruth.Counts t = Optional.ofNullable(r.seriesTruth().get(k)).map(GroundTruth.Totals::observable)
                    .orElse(GroundTruth.Counts.ZERO);
            passed += k.kind().action().get() == TableAction.PASS ? t.bytesIn() + t.bytesOut() : 0;
            blocked += k.kind().action().get() == TableAction.BLOCK ? t.bytesIn() + t.bytesOut() : 0;
        }
        out.printf(Locale.ROOT, "%d series per action (tables: block, match, pass, xpass; entries: block, match, pass),"
                + " %d bytes passed and %d blocked; the ledger %s%n", keys.size(), passed, blocked,
                bad.isEmpty() ? "equals the ground truth to the byte" : "differs on " + bad.size() + ": " + bad);
    }

    /** The tables (or entries) as the labels above: one line each, then a verdict. */
    private static void printSeries(Result r, SeriesKind kind, String what, PrintStream out) {
        java.util.Set<SeriesKey> keys = new java.util.TreeSet<>(SERIES_ORDER);
        r.seriesTruth().keySet().stream().filter(k -> k.kind() == kind).forEach(keys::add);
        r.seriesLedger().keySet().stream().filter(k -> k.kind() == kind).forEach(keys::add);
        if (keys.isEmpty()) {
            if (kind == SeriesKind.ADDRESS) {
                out.println("no table named for per-address counters (--table-addresses): no table entry accounted");
            }
            return;
        }
        out.printf(Locale.ROOT, "%-40s %20s %20s %16s %16s  %s%n", what + " (ground truth: observable)", "bytes_in",
                "bytes_out", "packets_in", "packets_out", "ledger");
        long bytes = 0;
        int bad = 0;
        for (SeriesKey k : keys) {
            GroundTruth.Counts t = Optional.ofNullable(r.seriesTruth().get(k)).map(GroundTruth.Totals::observable)
                    .orElse(GroundTruth.Counts.ZERO);
            GroundTruth.Counts s = r.seriesLedger().getOrDefault(k, GroundTruth.Counts.ZERO);
            bytes += t.bytesIn() + t.bytesOut();
            bad += s.equals(t) ? 0 : 1;
            String name = kind == SeriesKind.TABLE ? k.tableKey().toString() : k.tableKey() + " " + k.label();
            out.printf(Locale.ROOT, "%-40s %20d %20d %16d %16d  %s%n", name, t.bytesIn(), t.bytesOut(), t.packetsIn(),
                    t.packetsOut(), s.equals(t) ? "equal" : "DIFFERS: " + s);
        }
        out.printf(Locale.ROOT, "%d %s, %d bytes in all; the ledger %s%n", keys.size(), kind == SeriesKind.TABLE ? "tables" : "table entries",
                bytes, bad == 0 ? "equals the ground truth to the byte" : "differs on " + bad);
    }
}
