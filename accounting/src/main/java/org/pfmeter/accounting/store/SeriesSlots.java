package org.pfmeter.accounting.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.pfmeter.accounting.billing.SlotRows;

/**
 * The 5-minute traffic of a set of series of any kind (labels, tables, table entries), added up per
 * slot over the series and their hosts: what a bill reads. Like {@link SqlUsageSource}, which reads
 * labels only, it takes a series' slots from three places that never overlap: the host's sealed
 * days ({@code usage_5m_day}, through {@link DaySlots}), the closed buckets after them
 * ({@code usage_5m}) and the buckets not closed yet ({@link OpenBuckets}); so it stays right when a
 * retention deletes the 5-minute rows of sealed days. One read-only transaction with snapshot
 * isolation, as there.
 */
public final class SeriesSlots {

    /** H2's own isolation level SNAPSHOT, as in {@link SqlUsageSource}. */
    private static final int H2_SNAPSHOT = 6;

    /**
     * The sums of one read: slot {@code i} starts at {@code SlotGrid.start(first, i)}.
     *
     * @param series the series that matched, with their hosts
     * @param polled the slots in which any host of a matched series (any host at all when none
     *               matched) stored a poll
     */
    public record Sums(long first, int slots, long[] bytesIn, long[] bytesOut, long[] packetsIn, long[] packetsOut,
                       BitSet polled, List<HostSeries> series) {
    }

    /** One matched series of one host. */
    public record HostSeries(String host, SeriesKey key) {
    }

    private SeriesSlots() {
    }

    /**
     * Adds up every series {@code member} accepts, on every host, over the slots starting in
     * {@code [from, to)} (both on the 5-minute grid).
     */
    public static Sums read(AccountingStore store, String what, Predicate<SeriesKey> member, Instant from, Instant to) {
        Objects.requireNonNull(member, "member");
        long first = SlotGrid.ceil(from);
        int slots = SlotGrid.count(from, to);
        return store.query(what, c -> {
            c.setTransactionIsolation(store.database() == Database.H2 ? H2_SNAPSHOT : Connection.TRANSACTION_REPEATABLE_READ);
            Sums s = new Sums(first, slots, new long[slots], new long[slots], new long[slots], new long[slots], new BitSet(slots),
                    new ArrayList<>());
            Map<Integer, HostSeries> ids = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT series_id, host, kind, anchor, table_name, label FROM series");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    SeriesKey k = new SeriesKey(SeriesKind.ofSql(rs.getString(3)), rs.getString(4), rs.getString(5), rs.getString(6));
                    if (member.test(k)) {
                        ids.put(rs.getInt(1), new HostSeries(rs.getString(2), k));
                    }
                }
            }
            s.series().addAll(ids.values());
            s.series().sort(java.util.Comparator.comparing(HostSeries::host).thenComparing(h -> h.key().toString()));
            if (slots == 0) {
                return s;
            }
            Map<String, Instant> tailFrom = tailFrom(c, from);
            readDays(c, ids, tailFrom, from, to, s);
            readTail(c, ids, tailFrom, from, to, s);
            OpenBuckets open = OpenBuckets.read(c);
            for (HostSeries h : ids.values()) {
                Instant t = tailFrom.getOrDefault(h.host(), from);
                if (!t.isBefore(to)) {
                    continue;       // sealed past the range: nothing open in it
                }
                for (Map.Entry<Instant, SlotUsage> e : open.of(h.host(), h.key(), t, to).entrySet()) {
                    add(s, e.getKey().getEpochSecond(), e.getValue().packetsIn(), e.getValue().packetsOut(),
                            e.getValue().bytesIn(), e.getValue().bytesOut());
                }
            }
            TreeSet<String> hosts = new TreeSet<>();
            ids.values().forEach(h -> hosts.add(h.host()));
            for (Map.Entry<String, BitSet> e : PollSlots.read(c, first, slots).entrySet()) {
                if (hosts.isEmpty() || hosts.contains(e.getKey())) {
                    s.polled().or(e.getValue());
                }
            }
            return s;
        });
    }

    /** Per host, where its unsealed tail starts: its {@code sealed_until} when later than {@code from}. */
    private static Map<String, Instant> tailFrom(Connection c, Instant from) throws SQLException {
        Map<String, Instant> m = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT host, sealed_until FROM pf_host WHERE sealed_until IS NOT NULL");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Instant sealed = rs.getObject(2, OffsetDateTime.class).toInstant();
                m.put(rs.getString(1), sealed.isAfter(from) ? sealed : from);
            }
        }
        return m;
    }

    private static void readDays(Connection c, Map<Integer, HostSeries> ids, Map<String, Instant> tailFrom, Instant from, Instant to,
                                 Sums s) throws SQLException {
        SlotRows rows = new SlotRows(DaySlots.SLOTS_PER_DAY);
        try (PreparedStatement ps = c.prepareStatement(SqlUsageSource.daySql())) {
            for (Map.Entry<Integer, HostSeries> e : ids.entrySet()) {
                Instant until = tailFrom.getOrDefault(e.getValue().host(), from);
                if (!until.isAfter(from)) {
                    continue;
                }
                Instant end = until.isBefore(to) ? until : to;
                ps.setInt(1, e.getKey());
                ps.setObject(2, LedgerStore.utc(DaySlots.dayOf(from)));
                ps.setObject(3, LedgerStore.utc(end));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long day = rs.getObject(1, OffsetDateTime.class).toEpochSecond();
                        HostSeries h = e.getValue();
                        DaySlots.decode(rs.getBytes(2), h.host() + " " + h.key() + " " + Instant.ofEpochSecond(day), day, rows);
                        rows.keep(from.getEpochSecond(), end.getEpochSecond());
                        for (int j = 0; j < rows.size(); j++) {
                            add(s, SlotGrid.start(day, rows.slots()[j]), rows.packetsIn()[j], rows.packetsOut()[j],
                                    rows.bytesIn()[j], rows.bytesOut()[j]);
                        }
                    }
                }
            }
        }
    }

    private static void readTail(Connection c, Map<Integer, HostSeries> ids, Map<String, Instant> tailFrom, Instant from, Instant to,
                                 Sums s) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        Instant lo = to;
        for (HostSeries h : ids.values()) {
            Instant t = tailFrom.getOrDefault(h.host(), from);
            lo = t.isBefore(lo) ? t : lo;
        }
        if (!lo.isBefore(to)) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT bucket_start, series_id, packets_in, packets_out, bytes_in, bytes_out"
                + " FROM usage_5m WHERE bucket_start >= ? AND bucket_start < ?")) {
            ps.setFetchSize(10_000);
            ps.setObject(1, LedgerStore.utc(lo));
            ps.setObject(2, LedgerStore.utc(to));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    HostSeries h = ids.get(rs.getInt(2));
                    if (h == null) {
                        continue;
                    }
                    long at = rs.getObject(1, OffsetDateTime.class).toEpochSecond();
                    if (at < tailFrom.getOrDefault(h.host(), from).getEpochSecond()) {
                        continue;       // a sealed day: read from usage_5m_day
                    }
                    add(s, at, rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6));
                }
            }
        }
    }

    private static void add(Sums s, long slotStart, long pin, long pout, long bin, long bout) {
        int i = SlotGrid.indexOf(s.first(), s.slots(), slotStart);
        if (i < 0) {
            return;         // outside the range: a sealed day's slots before from or after to
        }
        s.packetsIn()[i] += pin;
        s.packetsOut()[i] += pout;
        s.bytesIn()[i] += bin;
        s.bytesOut()[i] += bout;
    }
}
