package org.pfmeter.accounting.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import org.pfmeter.accounting.billing.SlotRows;
import org.pfmeter.accounting.billing.UsageSource;
import org.pfmeter.pf.model.LabelKey;

/**
 * Billing's reads from the accounting database (schema v5): the only place that knows where
 * reports and exports find their data.
 *
 * <p>A label's slots of {@code [from, to)} come, per host, from three places that never overlap:
 * <ul>
 *   <li>the UTC days before the host's {@code pf_host.sealed_until}: {@code usage_5m_day}, one row
 *       per series and day ({@link DaySlots}), read label by label through its primary key
 *       (series_id, day_start);</li>
 *   <li>the rest, normally today and maybe yesterday (after an upgrade to v5, everything until the
 *       ledger has sealed the days again): the closed buckets of {@code usage_5m};</li>
 *   <li>the buckets not closed yet: the journal ({@link OpenBuckets}).</li>
 * </ul>
 * {@code usage_5m}'s primary key leads with the time (bucket_start, series_id), so that closing a
 * bucket appends; it has no per-series index. Reading one label from it means scanning the time
 * range, so the unsealed tail is scanned once for many labels: labels are taken in chunks whose
 * tail slots fit in {@link #tailBudget} bytes (4 longs a slot and series), the chunk's tail is
 * read in one scan, then its labels are handed over one by one. A tail of one day is one scan for
 * thousands of labels.
 *
 * <p>Sealed days are checked as they are read ({@link DaySlots#decode(byte[], DaySlots.Row, Object,
 * SlotRows)}). A damaged one is read from its 5-minute rows instead when they are still there, and
 * the {@code repaired} listener is told so (one line naming the row); when they are not (retention
 * deleted them), the read fails with a {@link DamagedRowException} naming host, anchor, label and
 * day, and saying what to do: a bill is never made from a damaged row. A damaged journal row fails
 * the read the same way (there is no other copy of an open bucket).
 *
 * <p>A {@link #read} runs in one read-only transaction with snapshot isolation (H2's SNAPSHOT,
 * PostgreSQL's REPEATABLE READ): a bucket that the ledger closes meanwhile (moving it from the
 * journal into {@code usage_5m}) is seen in one place, never in both or neither.
 */
public final class SqlUsageSource implements UsageSource {

    /** The most the unsealed tail of one chunk of labels may take, whatever the heap. */
    public static final long MAX_TAIL_BUDGET = 32L << 20;
    private static final long MIN_TAIL_BUDGET = 1L << 20;
    /** Bytes of one slot of one series in a chunk's tail: 4 longs and a bit. */
    private static final long SLOT_BYTES = 4 * 8 + 1;

    private static final System.Logger LOG = System.getLogger(SqlUsageSource.class.getName());

    private final AccountingStore store;
    private final long tailBudget;
    private final Consumer<String> repaired;

    /** Reads through {@code store}, with a tail budget of an eighth of the heap, between 1 and 32 MB. */
    public SqlUsageSource(AccountingStore store) {
        this(store, defaultTailBudget());
    }

    /**
     * As {@link #SqlUsageSource(AccountingStore)}, telling {@code repaired} of every damaged sealed
     * day read from its 5-minute rows instead (one line naming the row and what was done) instead of
     * logging it as a warning ({@link System.Logger}).
     */
    public SqlUsageSource(AccountingStore store, Consumer<String> repaired) {
        this(store, defaultTailBudget(), repaired);
    }

    /** @param tailBudget bytes the tail of one chunk of labels may take (at least one label is read at a time) */
    public SqlUsageSource(AccountingStore store, long tailBudget) {
        this(store, tailBudget, line -> LOG.log(System.Logger.Level.WARNING, line));
    }

    private SqlUsageSource(AccountingStore store, long tailBudget, Consumer<String> repaired) {
        this.store = Objects.requireNonNull(store, "store");
        if (tailBudget <= 0) {
            throw new IllegalArgumentException("tail budget must be positive: " + tailBudget);
        }
        this.tailBudget = tailBudget;
        this.repaired = Objects.requireNonNull(repaired, "repaired");
    }

    private static long defaultTailBudget() {
        return Math.max(MIN_TAIL_BUDGET, Math.min(MAX_TAIL_BUDGET, Runtime.getRuntime().maxMemory() / 8));
    }

    @Override
    public <T> T read(String what, Function<Reading, T> work) {
        return store.query(what, c -> {
            // the isolation is set before the transaction's first statement, which takes the snapshot
            c.setTransactionIsolation(store.database() == Database.H2 ? H2_SNAPSHOT : Connection.TRANSACTION_REPEATABLE_READ);
            try (SqlReading r = new SqlReading(c)) {
                return work.apply(r);
            } catch (Failed e) {
                throw e.getCause();
            }
        });
    }

    /** H2's own isolation level SNAPSHOT ({@code org.h2.engine.Constants.TRANSACTION_SNAPSHOT}). */
    private static final int H2_SNAPSHOT = 6;

    /** An SQLException carried out of a {@link Reading} method, which may not throw it. */
    private static final class Failed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Failed(SQLException cause) {
            super(cause);
        }

        @Override
        public synchronized SQLException getCause() {
            return (SQLException) super.getCause();
        }
    }

    @FunctionalInterface
    private interface Sql<T> {
        T get() throws SQLException;
    }

    private static <T> T sql(Sql<T> s) {
        try {
            return s.get();
        } catch (SQLException e) {
            throw new Failed(e);
        }
    }

    /** The sealed-day read of one series: one row a UTC day, through the primary key (series_id, day_start). */
    static String daySql() {
        return "SELECT day_start, slots, packets_in, packets_out, bytes_in, bytes_out FROM usage_5m_day"
                + " WHERE series_id = ? AND day_start >= ? AND day_start < ?";
    }

    /**
     * The tail read of one chunk: every closed bucket of the range, through the primary key's
     * leading time column; the series condition only keeps other chunks' rows off the wire.
     */
    static String tailSql() {
        return "SELECT bucket_start, series_id, packets_in, packets_out, bytes_in, bytes_out FROM usage_5m"
                + " WHERE bucket_start >= ? AND bucket_start < ? AND series_id >= ? AND series_id <= ?";
    }

    /** One row of {@code series}. */
    private record Series(int id, String host, LabelKey key) {
    }

    private final class SqlReading implements Reading, AutoCloseable {
        private final Connection c;
        /** The sealed-day query, prepared once for every series of the read. */
        private PreparedStatement days;
        /** The 5-minute rows of one series and day: read only for a damaged sealed day. */
        private PreparedStatement source;
        /** One sealed day's slots, decoded: reused from day to day. */
        private final SlotRows dayRows = new SlotRows(DaySlots.SLOTS_PER_DAY);
        private List<Series> series;
        private Map<String, Instant> sealedUntil;
        private OpenBuckets open;

        SqlReading(Connection c) {
            this.c = c;
        }

        @Override
        public void close() throws SQLException {
            if (days != null) {
                days.close();
            }
            if (source != null) {
                source.close();
            }
        }

        @Override
        public List<String> hosts() {
            return sql(() -> AccountingStore.hosts(c));
        }

        @Override
        public List<LabelKey> labels(Optional<String> host) {
            return sql(() -> AccountingStore.labels(c, host));
        }

        @Override
        public Map<LabelKey, List<String>> hostsByLabel() {
            Map<LabelKey, List<String>> m = new HashMap<>();
            for (Series s : series()) {
                m.computeIfAbsent(s.key(), k -> new ArrayList<>()).add(s.host());
            }
            m.values().forEach(l -> l.sort(Comparator.naturalOrder()));
            return m;
        }

        @Override
        public Map<String, Instant> firstPolls() {
            return sql(() -> PollSlots.firstPolls(c));
        }

        @Override
        public Map<String, BitSet> polledSlots(long first, int slots) {
            return sql(() -> PollSlots.read(c, first, slots));
        }

        private List<Series> series() {
            if (series == null) {
                series = sql(() -> {
                    List<Series> l = new ArrayList<>();
                    try (PreparedStatement ps = c.prepareStatement(
                            "SELECT series_id, host, anchor, label FROM series WHERE kind = 'label'");
                         ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            l.add(new Series(rs.getInt(1), rs.getString(2), new LabelKey(rs.getString(3), rs.getString(4))));
                        }
                    }
                    return l;
                });
            }
            return series;
        }

        private Map<String, Instant> sealedUntil() {
            if (sealedUntil == null) {
                sealedUntil = sql(() -> {
                    Map<String, Instant> m = new HashMap<>();
                    try (PreparedStatement ps = c.prepareStatement(
                            "SELECT host, sealed_until FROM pf_host WHERE sealed_until IS NOT NULL");
                         ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            m.put(rs.getString(1), rs.getObject(2, OffsetDateTime.class).toInstant());
                        }
                    }
                    return m;
                });
            }
            return sealedUntil;
        }

        private OpenBuckets open() {
            if (open == null) {
                open = sql(() -> OpenBuckets.read(c));
            }
            return open;
        }

        @Override
        public void forEachLabel(Instant from, Instant to, Optional<String> host, Collection<LabelKey> labels, LabelSink sink) {
            Map<LabelKey, List<Series>> seriesOf = new HashMap<>();
            for (LabelKey k : labels) {
                seriesOf.put(k, new ArrayList<>());
            }
            for (Series s : series()) {
                List<Series> l = seriesOf.get(s.key());
                if (l != null && (host.isEmpty() || host.get().equals(s.host()))) {
                    l.add(s);
                }
            }
            // the tail of a series: [from, to) after its host's sealed days
            Map<String, Instant> tailFromOf = new HashMap<>();
            Instant tailFrom = to;
            for (List<Series> l : seriesOf.values()) {
                for (Series s : l) {
                    Instant t = tailFromOf.computeIfAbsent(s.host(), h -> {
                        Instant sealed = sealedUntil().get(h);
                        return sealed != null && sealed.isAfter(from) ? sealed : from;
                    });
                    tailFrom = t.isBefore(tailFrom) ? t : tailFrom;
                }
            }
            // labels in the order of their series numbers, so that a chunk's numbers are close together
            List<LabelKey> order = new ArrayList<>(labels);
            order.sort(Comparator.comparingInt((LabelKey k) -> seriesOf.get(k).stream().mapToInt(Series::id).min()
                    .orElse(Integer.MIN_VALUE)).thenComparing(Comparator.naturalOrder()));
            int tailSlots = from.isBefore(to) ? SlotGrid.count(tailFrom, to) : 0;
            long perSeries = Math.max(1, tailSlots * SLOT_BYTES);
            int i = 0;
            while (i < order.size()) {
                // at least one label; then as many as fit the budget
                List<LabelKey> chunk = new ArrayList<>();
                long bytes = 0;
                do {
                    LabelKey k = order.get(i++);
                    chunk.add(k);
                    bytes += perSeries * seriesOf.get(k).size();
                } while (i < order.size() && bytes + perSeries * seriesOf.get(order.get(i)).size() <= tailBudget);
                readChunk(from, to, chunk, seriesOf, tailFromOf, tailFrom, tailSlots, sink);
            }
        }

        private void readChunk(Instant from, Instant to, List<LabelKey> chunk, Map<LabelKey, List<Series>> seriesOf,
                               Map<String, Instant> tailFromOf, Instant tailFrom, int tailSlots, LabelSink sink) {
            long first = SlotGrid.ceil(tailFrom);
            Map<Integer, Tail> tails = new HashMap<>();
            int lo = Integer.MAX_VALUE;
            int hi = Integer.MIN_VALUE;
            for (LabelKey k : chunk) {
                for (Series s : seriesOf.get(k)) {
                    Instant t = tailFromOf.get(s.host());
                    if (t.isBefore(to) && tailSlots > 0) {
                        tails.put(s.id(), new Tail(SlotGrid.ceil(t)));
                        lo = Math.min(lo, s.id());
                        hi = Math.max(hi, s.id());
                    }
                }
            }
            if (!tails.isEmpty()) {
                scanTail(tailFrom, to, lo, hi, first, tailSlots, tails);
            }
            for (LabelKey k : chunk) {
                sink.start(k);
                for (Series s : seriesOf.get(k)) {
                    Instant t = tailFromOf.get(s.host());
                    if (t.isAfter(from)) {
                        readDays(s, from, t.isBefore(to) ? t : to, sink);
                    }
                    Tail tail = tails.get(s.id());
                    if (tail != null) {
                        tail.replay(s.host(), first, sink);
                    }
                    if (t.isBefore(to)) {
                        // the buckets not closed yet: in the journal, never in usage_5m as well
                        NavigableMap<Instant, SlotUsage> openOf = open().of(s.host(), k, t, to);
                        for (Map.Entry<Instant, SlotUsage> e : openOf.entrySet()) {
                            SlotUsage u = e.getValue();
                            sink.slot(s.host(), e.getKey().getEpochSecond(), u.packetsIn(), u.packetsOut(), u.bytesIn(),
                                    u.bytesOut());
                        }
                    }
                }
                sink.end(k);
            }
        }

        /** Reads the closed buckets of {@code [tailFrom, to)} of the series {@code lo..hi} that are in {@code tails}. */
        private void scanTail(Instant tailFrom, Instant to, int lo, int hi, long first, int slots, Map<Integer, Tail> tails) {
            sql(() -> {
                try (PreparedStatement ps = c.prepareStatement(tailSql())) {
                    ps.setFetchSize(10_000);
                    ps.setObject(1, LedgerStore.utc(tailFrom));
                    ps.setObject(2, LedgerStore.utc(to));
                    ps.setInt(3, lo);
                    ps.setInt(4, hi);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            Tail t = tails.get(rs.getInt(2));
                            if (t == null) {
                                continue;
                            }
                            long at = rs.getObject(1, OffsetDateTime.class).toEpochSecond();
                            if (at < t.from) {
                                continue;       // a day the series' host has sealed: read from usage_5m_day
                            }
                            int i = SlotGrid.indexOf(first, slots, at);
                            if (i < 0) {
                                throw new IllegalStateException("a 5-minute row of series " + rs.getInt(2) + " starts at "
                                        + Instant.ofEpochSecond(at) + ", which is not on the 5-minute grid");
                            }
                            t.add(slots, i, rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6));
                        }
                    }
                }
                return null;
            });
        }

        /** Hands over the slots of {@code [from, until)} of the days {@code s}'s host has sealed. */
        private void readDays(Series s, Instant from, Instant until, LabelSink sink) {
            long lo = from.getEpochSecond();
            long hi = until.getEpochSecond();
            sql(() -> {
                if (days == null) {
                    days = c.prepareStatement(daySql());
                }
                PreparedStatement ps = days;
                ps.setInt(1, s.id());
                ps.setObject(2, LedgerStore.utc(DaySlots.dayOf(from)));
                ps.setObject(3, LedgerStore.utc(until));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long day = rs.getObject(1, OffsetDateTime.class).toEpochSecond();
                        byte[] packed = rs.getBytes(2);
                        DaySlots.Row row = new DaySlots.Row(s.id(), day, rs.getLong(3), rs.getLong(4), rs.getLong(5),
                                rs.getLong(6));
                        // the row's name only for an error: not built for every day read
                        RowName name = new RowName(s, day);
                        try {
                            DaySlots.decode(packed, row, name, dayRows);
                        } catch (DamagedRowException e) {
                            fromSource(s, day, name, e);
                        }
                        // a billing month in another zone than UTC starts and ends inside a day
                        dayRows.keep(lo, hi);
                        if (dayRows.size() > 0) {
                            sink.rows(s.host(), dayRows);
                        }
                    }
                }
                return null;
            });
        }

        /**
         * Puts the 5-minute rows of series {@code s}'s sealed day {@code day} into {@code dayRows}
         * instead of its damaged packed row, and says so; refuses when there are none.
         */
        private void fromSource(Series s, long day, RowName name, DamagedRowException damage) throws SQLException {
            if (source == null) {
                source = c.prepareStatement(sourceSql());
            }
            source.setObject(1, LedgerStore.utc(Instant.ofEpochSecond(day)));
            source.setObject(2, LedgerStore.utc(Instant.ofEpochSecond(day).plus(DaySlots.DAY)));
            source.setInt(3, s.id());
            dayRows.reset(day);
            int n = 0;
            try (ResultSet rs = source.executeQuery()) {
                while (rs.next()) {
                    int i = SlotGrid.indexOf(day, DaySlots.SLOTS_PER_DAY, rs.getObject(1, OffsetDateTime.class).toEpochSecond());
                    if (i < 0 || n >= DaySlots.SLOTS_PER_DAY) {
                        throw new IllegalStateException("a 5-minute row of " + name + " is not on the day's grid");
                    }
                    dayRows.slots()[n] = i;
                    dayRows.packetsIn()[n] = rs.getLong(2);
                    dayRows.packetsOut()[n] = rs.getLong(3);
                    dayRows.bytesIn()[n] = rs.getLong(4);
                    dayRows.bytesOut()[n] = rs.getLong(5);
                    n++;
                }
            }
            if (n == 0) {
                throw new DamagedRowException(damage.getMessage() + "; the 5-minute rows of that day are gone (retention),"
                        + " so the sealed day was the only copy: refusing to bill " + name.describe()
                        + " from it. Run `pfmeter verify` to list every damaged row; restore the database from a backup"
                        + " taken before the damage, or leave that day out of the report", damage);
            }
            dayRows.size(n);
            String line = damage.getMessage() + "; read " + name.describe() + " from its " + n
                    + " 5-minute rows instead. Run `pfmeter verify --repair` to rewrite the sealed day from them";
            store.damagedRowReadAround();
            repaired.accept(line);
        }
    }

    /** The 5-minute rows of one series and day, in slot order: a damaged sealed day's source. */
    static String sourceSql() {
        return "SELECT bucket_start, packets_in, packets_out, bytes_in, bytes_out FROM usage_5m"
                + " WHERE bucket_start >= ? AND bucket_start < ? AND series_id = ? ORDER BY bucket_start";
    }

    /** A sealed day's name in error messages: host, label and day. */
    private record RowName(Series series, long day) {
        @Override
        public String toString() {
            return series.host() + " " + series.key() + " " + Instant.ofEpochSecond(day).toString().substring(0, 10);
        }

        /** In words, for an operator: "host fw1, anchor "customers/acme", label "acme-web", day 2026-10-05". */
        String describe() {
            return "host " + series.host() + ", anchor \"" + series.key().anchor() + "\", label \"" + series.key().label()
                    + "\", day " + Instant.ofEpochSecond(day).toString().substring(0, 10);
        }
    }

    /** One series' closed buckets in a chunk's tail: 4 longs a slot, allocated on its first row. */
    private static final class Tail {
        /** The series' first tail slot (epoch seconds): earlier rows are in sealed days. */
        final long from;
        private long[] v;
        private final BitSet rows = new BitSet();

        Tail(long from) {
            this.from = from;
        }

        void add(int slots, int i, long pin, long pout, long bin, long bout) {
            if (v == null) {
                v = new long[4 * slots];
            }
            rows.set(i);
            v[4 * i] += pin;
            v[4 * i + 1] += pout;
            v[4 * i + 2] += bin;
            v[4 * i + 3] += bout;
        }

        void replay(String host, long first, LabelSink sink) {
            for (int i = rows.nextSetBit(0); i >= 0; i = rows.nextSetBit(i + 1)) {
                sink.slot(host, SlotGrid.start(first, i), v[4 * i], v[4 * i + 1], v[4 * i + 2], v[4 * i + 3]);
            }
        }
    }
}
