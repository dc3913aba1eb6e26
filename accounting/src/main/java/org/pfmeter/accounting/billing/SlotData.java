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
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import org.pfmeter.pf.model.LabelKey;

/**
 * Reads 5-minute rows for reports and exports label by label, and counts slots. A month of 1,000
 * labels is 8.6 million rows; holding them all at once took about 1 GB of heap, so the rows are
 * read one label at a time and only that label's {@link Series} is alive.
 */
final class SlotData {

    static final long SLOT_SECONDS = BillingPeriod.SLOT.getSeconds();

    private SlotData() {
    }

    /** The first 5-minute UTC grid point at or after {@code t}. */
    static long gridCeil(Instant t) {
        long s = t.getEpochSecond() + (t.getNano() > 0 ? 1 : 0);
        return Math.floorDiv(s + SLOT_SECONDS - 1, SLOT_SECONDS) * SLOT_SECONDS;
    }

    /** How many 5-minute grid points lie in {@code [from, to)}. */
    static int slots(Instant from, Instant to) {
        if (!to.isAfter(from)) {
            return 0;
        }
        return (int) ((gridCeil(to) - gridCeil(from)) / SLOT_SECONDS);
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
        final TreeSet<String> hosts = new TreeSet<>();

        Series(Instant from, Instant to) {
            this(gridCeil(from), SlotData.slots(from, to));
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
            long d = slot - first;
            if (d < 0 || d % SLOT_SECONDS != 0 || d / SLOT_SECONDS >= slots) {
                throw new IllegalStateException("a 5-minute row starts at " + Instant.ofEpochSecond(slot)
                        + ", which is not one of the " + slots + " 5-minute grid points from " + Instant.ofEpochSecond(first));
            }
            if (v == null) {
                v = new long[4 * slots];
            }
            int i = (int) (d / SLOT_SECONDS) * 4;
            v[i] += pin;
            v[i + 1] += pout;
            v[i + 2] += bin;
            v[i + 3] += bout;
        }

        void addAll(Series o) {
            if (o.first != first || o.slots != slots) {
                throw new IllegalArgumentException("series over different slots");
            }
            hosts.addAll(o.hosts);
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

        /** Packets in, out, bytes in, out of slot {@code i} (0 for the first grid point). */
        long value(int i, int what) {
            return v == null ? 0 : v[4 * i + what];
        }

        Usage usage(int elapsedSlots) {
            long pin = 0;
            long pout = 0;
            long bin = 0;
            long bout = 0;
            int nIn = 0;
            int nOut = 0;
            long peakIn = 0;
            long peakOut = 0;
            long[] in = new long[v == null ? 0 : slots];
            long[] out = new long[in.length];
            for (int i = 0; i < in.length; i++) {
                pin += v[4 * i];
                pout += v[4 * i + 1];
                long bi = v[4 * i + 2];
                long bo = v[4 * i + 3];
                bin += bi;
                bout += bo;
                if (bi != 0) {
                    in[nIn++] = bi;
                }
                if (bo != 0) {
                    out[nOut++] = bo;
                }
                peakIn = Math.max(peakIn, bi);
                peakOut = Math.max(peakOut, bo);
            }
            return new Usage(bin, bout, pin, pout,
                    Percentiles.bitsPerSecond(Percentiles.p95(Arrays.copyOf(in, nIn), elapsedSlots)),
                    Percentiles.bitsPerSecond(Percentiles.p95(Arrays.copyOf(out, nOut), elapsedSlots)),
                    Percentiles.bitsPerSecond(peakIn), Percentiles.bitsPerSecond(peakOut));
        }
    }

    /**
     * The query {@link #forEachLabel} runs once per host and label: the whole key and both ends of
     * the month are bound, so the database reads only that month's slice of the primary key
     * (host, anchor, label, bucket_start), however many months retention keeps. Each row is still
     * fetched from the table, where the ledger wrote it in time order (see the README's billing
     * benchmark).
     */
    static String sql() {
        return "SELECT bucket_start, packets_in, packets_out, bytes_in, bytes_out FROM usage_5m"
                + " WHERE host = ? AND anchor = ? AND label = ? AND bucket_start >= ? AND bucket_start < ?";
    }

    /**
     * Per label of {@code labels}: the 5-minute rows with {@code from ≤ bucket_start < to}, added up
     * over {@code host} or (empty) every host that has counters for the label, handed to {@code sink}
     * as soon as the label is read and then dropped. Labels without rows are not handed over.
     *
     * <p>The hosts of a label come from {@code label_counters}: the ledger writes a label's counters
     * in the same transaction as its first usage row and never deletes them, so every host with
     * usage rows for a label is among them.
     */
    static void forEachLabel(Connection c, Instant from, Instant to, Optional<String> host, Collection<LabelKey> labels,
                             BiConsumer<LabelKey, Series> sink) throws SQLException {
        Map<LabelKey, List<String>> hostsOf = host.isPresent() ? Map.of() : hostsByLabel(c);
        OffsetDateTime start = from.atOffset(ZoneOffset.UTC);
        OffsetDateTime end = to.atOffset(ZoneOffset.UTC);
        try (PreparedStatement ps = c.prepareStatement(sql())) {
            ps.setFetchSize(10_000);
            ps.setObject(4, start);
            ps.setObject(5, end);
            for (LabelKey k : labels) {
                Series s = null;
                for (String h : host.map(List::of).orElseGet(() -> hostsOf.getOrDefault(k, List.of()))) {
                    ps.setString(1, h);
                    ps.setString(2, k.anchor());
                    ps.setString(3, k.label());
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            if (s == null) {
                                s = new Series(from, to);
                            }
                            s.hosts.add(h);
                            s.add(rs.getObject(1, OffsetDateTime.class).toEpochSecond(), rs.getLong(2), rs.getLong(3),
                                    rs.getLong(4), rs.getLong(5));
                        }
                    }
                }
                if (s != null) {
                    sink.accept(k, s);
                }
            }
        }
    }

    private static Map<LabelKey, List<String>> hostsByLabel(Connection c) throws SQLException {
        Map<LabelKey, List<String>> m = new HashMap<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT host, anchor, label FROM label_counters")) {
            while (rs.next()) {
                m.computeIfAbsent(new LabelKey(rs.getString(2), rs.getString(3)), k -> new ArrayList<>()).add(rs.getString(1));
            }
        }
        return m;
    }
}
