package org.pfmeter.accounting.billing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import org.pfmeter.accounting.store.DaySlots;
import org.pfmeter.accounting.store.OpenBuckets;
import org.pfmeter.accounting.store.SlotUsage;
import org.pfmeter.accounting.store.SlotGrid;
import org.pfmeter.pf.model.LabelKey;

/**
 * Reads 5-minute rows for reports and exports label by label, and counts slots. A month of 1,000
 * labels is 8.6 million rows; holding them all at once took about 1 GB of heap, so the rows are
 * read one label at a time and only that label's {@link Series} is alive.
 */
final class SlotData {

    private SlotData() {
    }

    /**
     * The index of grid point {@code slot} among the {@code slots} grid points from {@code first}.
     *
     * @throws IllegalStateException for a time off the grid or out of range, which the ledger never
     *                               writes
     */
    static int slotIndex(long first, int slots, long slot) {
        int i = SlotGrid.indexOf(first, slots, slot);
        if (i < 0) {
            throw new IllegalStateException("a 5-minute row starts at " + Instant.ofEpochSecond(slot)
                    + ", which is not one of the " + slots + " 5-minute grid points from " + Instant.ofEpochSecond(first));
        }
        return i;
    }

    /**
     * One label's (or customer's) traffic, slot by slot, over the grid points of {@code [from, to)}:
     * packets in, out, bytes in, out per slot in one flat array (4 longs a slot, 285 KB for a
     * 31-day month, a quarter of what a map of slots took), allocated on the first row so an empty
     * series costs nothing.
     */
    static final class Series {
        private final long first;
        private final int slots;
        private long[] v;
        /**
         * Per host, the slots with a row (a 5-minute row or a sealed day's slot): the host has data
         * there even if no poll of it was recorded (a database made before migration V4).
         */
        private final Map<String, BitSet> rows = new HashMap<>();
        /** The rows of the host being read (see {@link SlotData#series}). */
        private BitSet reading;
        private long packetsIn;
        private long packetsOut;
        final TreeSet<String> hosts = new TreeSet<>();

        Series(Instant from, Instant to) {
            this(SlotGrid.ceil(from), SlotGrid.count(from, to));
        }

        private Series(long first, int slots) {
            this.first = first;
            this.slots = slots;
        }

        /** A series over the same slots, with no traffic. */
        Series emptyLike() {
            return new Series(first, slots);
        }

        /**
         * @param slot the epoch second of a grid point in this series' range
         * @throws IllegalStateException for a time off the grid or out of range, which the ledger
         *                               never writes
         */
        void add(long slot, long pin, long pout, long bin, long bout) {
            int i = slotIndex(first, slots, slot) * 4;
            if (v == null) {
                v = new long[4 * slots];
            }
            if (reading != null) {
                reading.set(i / 4);
            }
            v[i] += pin;
            v[i + 1] += pout;
            v[i + 2] += bin;
            v[i + 3] += bout;
        }

        /**
         * Bytes of one slot whose packets are known only as a sum (a sealed day); see
         * {@link #addPackets}.
         */
        void addBytes(long slot, long bin, long bout) {
            add(slot, 0, 0, bin, bout);
        }

        /** Packets of the series that belong to no one slot: a sealed day's sums. */
        void addPackets(long pin, long pout) {
            packetsIn += pin;
            packetsOut += pout;
        }

        void addAll(Series o) {
            if (o.first != first || o.slots != slots) {
                throw new IllegalArgumentException("series over different slots");
            }
            hosts.addAll(o.hosts);
            o.rows.forEach((h, b) -> rows.computeIfAbsent(h, x -> new BitSet()).or(b));
            packetsIn += o.packetsIn;
            packetsOut += o.packetsOut;
            if (o.v == null) {
                return;
            }
            if (v == null) {
                v = new long[4 * slots];
            }
            for (int i = 0; i < v.length; i++) {
                v[i] += o.v[i];
            }
        }

        int slots() {
            return slots;
        }

        /**
         * Packets in, out, bytes in, out of slot {@code i} (0 for the first grid point). Packets of
         * sealed days are not per slot: read with {@code sealedDays} false for this.
         */
        long value(int i, int what) {
            return v == null ? 0 : v[4 * i + what];
        }

        /** The slots in which {@code host} has a row: data, whether or not a poll of them was recorded. */
        BitSet rows(String host) {
            BitSet b = rows.get(host);
            return b == null ? new BitSet() : b;
        }

        /** The hosts with a row in the series. */
        java.util.Set<String> hostsWithRows() {
            return rows.keySet();
        }

        /**
         * @param samples the percentile's sample count: the slots with data, which include every
         *                slot with a row
         */
        Usage usage(int samples) {
            UsageAccumulator u = new UsageAccumulator(samples);
            u.addPackets(packetsIn, packetsOut);
            if (v != null) {
                for (int i = 0; i < slots; i++) {
                    u.addSlot(v[4 * i], v[4 * i + 1], v[4 * i + 2], v[4 * i + 3]);
                }
            }
            return u.usage();
        }
    }

    /**
     * The 5-minute query {@link #forEachLabel} runs per host and label, for the days not sealed: the
     * whole key and both ends of the range are bound, so the database reads only that slice of the
     * primary key (host, anchor, label, bucket_start), however many months retention keeps.
     */
    static String sql() {
        return "SELECT u.bucket_start, u.packets_in, u.packets_out, u.bytes_in, u.bytes_out FROM usage_5m u"
                + " JOIN series s ON s.series_id = u.series_id"
                + " WHERE s.host = ? AND s.anchor = ? AND s.label = ? AND u.bucket_start >= ? AND u.bucket_start < ?";
    }

    /** The sealed-day query {@link #forEachLabel} runs per host and label: one row a UTC day. */
    static String daySql() {
        return "SELECT d.day_start, d.packets_in, d.packets_out, d.slots FROM usage_5m_day d"
                + " JOIN series s ON s.series_id = d.series_id"
                + " WHERE s.host = ? AND s.anchor = ? AND s.label = ? AND d.day_start >= ? AND d.day_start < ?";
    }

    /**
     * Per label of {@code labels}: the 5-minute rows with {@code from ≤ bucket_start < to}, added up
     * over {@code host} or (empty) every host that has counters for the label, handed to {@code sink}
     * as soon as the label is read and then dropped. Labels without rows are not handed over.
     *
     * <p>With {@code sealedDays}, the whole UTC days of the range that the host has sealed
     * ({@code pf_host.sealed_until}, migration V3) are read from {@code usage_5m_day}, one row a day
     * instead of 288, and only the rest from {@code usage_5m}. Their packets then count as sums, not
     * per slot (see {@link Series#value}); reports need only the sums, exports need the slots.
     *
     * <p>The hosts of a label come from {@code label_counters}: the ledger writes a label's counters
     * in the same transaction as its first usage row and never deletes them, so every host with
     * usage rows for a label is among them.
     */
    static void forEachLabel(Connection c, Instant from, Instant to, Optional<String> host, Collection<LabelKey> labels,
                             boolean sealedDays, BiConsumer<LabelKey, Series> sink) throws SQLException {
        Map<LabelKey, List<String>> hostsOf = host.isPresent() ? Map.of() : hostsByLabel(c);
        Map<String, Instant> sealedUntil = sealedDays ? sealedUntil(c) : Map.of();
        OpenBuckets open = OpenBuckets.read(c);
        try (PreparedStatement slots = c.prepareStatement(sql());
             PreparedStatement days = c.prepareStatement(daySql())) {
            slots.setFetchSize(10_000);
            days.setFetchSize(1_000);
            // the whole UTC days of [from, to) that a host has sealed are read as day rows; a period
            // in another time zone starts and ends inside a day, whose rest is read slot by slot
            Instant dayFrom = dayCeil(from);
            for (LabelKey k : labels) {
                Series[] s = {null};
                for (String h : host.map(List::of).orElseGet(() -> hostsOf.getOrDefault(k, List.of()))) {
                    Instant sealed = sealedUntil.get(h);
                    Instant dayTo = sealed == null ? dayFrom : DaySlots.dayOf(sealed.isBefore(to) ? sealed : to);
                    if (!dayFrom.isBefore(dayTo)) {
                        readSlots(slots, open, h, k, from, to, from, to, s);
                        continue;
                    }
                    readSlots(slots, open, h, k, from, dayFrom, from, to, s);
                    readDays(days, h, k, dayFrom, dayTo, from, to, s);
                    readSlots(slots, open, h, k, dayTo, to, from, to, s);
                }
                if (s[0] != null) {
                    sink.accept(k, s[0]);
                }
            }
        }
    }

    /** The first UTC midnight at or after {@code t}. */
    private static Instant dayCeil(Instant t) {
        Instant d = DaySlots.dayOf(t);
        return d.equals(t) ? d : d.plus(DaySlots.DAY);
    }

    /** Adds the 5-minute rows of {@code [lo, hi)} to the series over {@code [from, to)}. */
    private static void readSlots(PreparedStatement ps, OpenBuckets open, String h, LabelKey k, Instant lo, Instant hi,
                                  Instant from, Instant to, Series[] s) throws SQLException {
        if (!lo.isBefore(hi)) {
            return;
        }
        bind(ps, h, k, lo, hi);
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Series x = series(s, from, to, h);
                x.add(rs.getObject(1, OffsetDateTime.class).toEpochSecond(), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                        rs.getLong(5));
            }
        }
        // the buckets not closed yet: in the journal, never in usage_5m as well
        for (Map.Entry<Instant, SlotUsage> e : open.of(h, k, lo, hi).entrySet()) {
            SlotUsage u = e.getValue();
            series(s, from, to, h).add(e.getKey().getEpochSecond(), u.packetsIn(), u.packetsOut(), u.bytesIn(), u.bytesOut());
        }
    }

    /** Adds the sealed days of {@code [lo, hi)} (UTC midnights) to the series over {@code [from, to)}. */
    private static void readDays(PreparedStatement ps, String h, LabelKey k, Instant lo, Instant hi, Instant from,
                                 Instant to, Series[] s) throws SQLException {
        bind(ps, h, k, lo, hi);
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Series x = series(s, from, to, h);
                long day = rs.getObject(1, OffsetDateTime.class).toEpochSecond();
                DaySlots.decode(rs.getBytes(4), h + " " + k + " " + Instant.ofEpochSecond(day),
                        (i, pin, pout, bin, bout) -> x.add(SlotGrid.start(day, i), pin, pout, bin, bout));
            }
        }
    }

    /** Binds host, anchor, label and the range {@code [lo, hi)}: both queries take them in that order. */
    private static void bind(PreparedStatement ps, String h, LabelKey k, Instant lo, Instant hi) throws SQLException {
        ps.setString(1, h);
        ps.setString(2, k.anchor());
        ps.setString(3, k.label());
        ps.setObject(4, lo.atOffset(ZoneOffset.UTC));
        ps.setObject(5, hi.atOffset(ZoneOffset.UTC));
    }

    private static Series series(Series[] s, Instant from, Instant to, String h) {
        if (s[0] == null) {
            s[0] = new Series(from, to);
        }
        s[0].hosts.add(h);
        s[0].reading = s[0].rows.computeIfAbsent(h, x -> new BitSet());
        return s[0];
    }

    private static Map<String, Instant> sealedUntil(Connection c) throws SQLException {
        Map<String, Instant> m = new HashMap<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT host, sealed_until FROM pf_host WHERE sealed_until IS NOT NULL")) {
            while (rs.next()) {
                m.put(rs.getString(1), rs.getObject(2, OffsetDateTime.class).toInstant());
            }
        }
        return m;
    }

    static Map<LabelKey, List<String>> hostsByLabel(Connection c) throws SQLException {
        Map<LabelKey, List<String>> m = new HashMap<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT host, anchor, label FROM series")) {
            while (rs.next()) {
                m.computeIfAbsent(new LabelKey(rs.getString(2), rs.getString(3)), k -> new ArrayList<>()).add(rs.getString(1));
            }
        }
        return m;
    }
}
