package org.pfmeter.accounting.billing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.pfmeter.pf.model.LabelKey;

/** Reads 5-minute rows for reports and exports, and counts slots. */
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

    /** One label's traffic, slot by slot (epoch second of the slot → packets in, out, bytes in, out). */
    static final class Series {
        final TreeMap<Long, long[]> slots = new TreeMap<>();
        final TreeSet<String> hosts = new TreeSet<>();

        void add(long slot, long pin, long pout, long bin, long bout) {
            long[] v = slots.computeIfAbsent(slot, k -> new long[4]);
            v[0] += pin;
            v[1] += pout;
            v[2] += bin;
            v[3] += bout;
        }

        void addAll(Series o) {
            o.slots.forEach((slot, v) -> add(slot, v[0], v[1], v[2], v[3]));
            hosts.addAll(o.hosts);
        }

        Usage usage(int elapsedSlots) {
            long pin = 0;
            long pout = 0;
            long bin = 0;
            long bout = 0;
            List<Long> in = new ArrayList<>();
            List<Long> out = new ArrayList<>();
            long peakIn = 0;
            long peakOut = 0;
            for (long[] v : slots.values()) {
                pin += v[0];
                pout += v[1];
                bin += v[2];
                bout += v[3];
                if (v[2] != 0) {
                    in.add(v[2]);
                }
                if (v[3] != 0) {
                    out.add(v[3]);
                }
                peakIn = Math.max(peakIn, v[2]);
                peakOut = Math.max(peakOut, v[3]);
            }
            return new Usage(bin, bout, pin, pout,
                    Percentiles.bitsPerSecond(Percentiles.p95(toArray(in), elapsedSlots)),
                    Percentiles.bitsPerSecond(Percentiles.p95(toArray(out), elapsedSlots)),
                    Percentiles.bitsPerSecond(peakIn), Percentiles.bitsPerSecond(peakOut));
        }

        private static long[] toArray(List<Long> l) {
            long[] a = new long[l.size()];
            for (int i = 0; i < a.length; i++) {
                a[i] = l.get(i);
            }
            return a;
        }
    }

    /** Per label: the 5-minute rows with {@code from ≤ bucket_start < to}, added up over the hosts. */
    static Map<LabelKey, Series> load(Connection c, Instant from, Instant to, Optional<String> host) throws SQLException {
        Map<LabelKey, Series> m = new TreeMap<>();
        String sql = "SELECT host, anchor, label, bucket_start, packets_in, packets_out, bytes_in, bytes_out FROM usage_5m"
                + " WHERE bucket_start >= ? AND bucket_start < ?" + (host.isPresent() ? " AND host = ?" : "");
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setFetchSize(10_000);
            ps.setObject(1, from.atOffset(ZoneOffset.UTC));
            ps.setObject(2, to.atOffset(ZoneOffset.UTC));
            if (host.isPresent()) {
                ps.setString(3, host.get());
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Series s = m.computeIfAbsent(new LabelKey(rs.getString(2), rs.getString(3)), k -> new Series());
                    s.hosts.add(rs.getString(1));
                    s.add(rs.getObject(4, OffsetDateTime.class).toEpochSecond(), rs.getLong(5), rs.getLong(6),
                            rs.getLong(7), rs.getLong(8));
                }
            }
        }
        return m;
    }
}
