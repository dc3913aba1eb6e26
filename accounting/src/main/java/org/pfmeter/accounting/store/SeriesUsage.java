package org.pfmeter.accounting.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What the ledger booked per series of one kind (labels, tables, table entries) of a host over a
 * period: the closed 5-minute rows ({@code usage_5m}) plus the open buckets ({@code poll_journal}),
 * summed; for the slots of sealed days whose rows retention has deleted ({@link SealedRowRetention}),
 * the packets and bytes of the sealed day ({@link SealedSlots}): packets and bytes are the same
 * before and after the deletion, evaluations, states and polls count only the rows still kept. The reader bills of tables and addresses start from; label reports keep their own
 * readers ({@link SqlUsageSource}), which select {@code kind = 'label'} only.
 */
public final class SeriesUsage {

    private SeriesUsage() {
    }

    /**
     * @param from inclusive, a bucket start
     * @param to   exclusive
     * @return per series with usage in {@code [from, to)}, in key order (kind, anchor, table, label)
     */
    public static Map<SeriesKey, SlotUsage> totals(AccountingStore store, String host, SeriesKind kind, Instant from, Instant to) {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(kind, "kind");
        return store.query("sum the " + kind.sql() + " series of " + host, c -> {
            Map<SeriesKey, SlotUsage> m = new TreeMap<>(java.util.Comparator.comparing(SeriesKey::anchor)
                    .thenComparing(SeriesKey::table).thenComparing(SeriesKey::label));
            SealedSlots.Seen seen = new SealedSlots.Seen();
            try (PreparedStatement ps = c.prepareStatement("SELECT s.anchor, s.table_name, s.label, u.packets_in, u.packets_out,"
                    + " u.bytes_in, u.bytes_out, u.evaluations, u.states_created, u.states_max, u.polls, u.resets,"
                    + " u.series_id, u.bucket_start"
                    + " FROM usage_5m u JOIN series s ON s.series_id = u.series_id"
                    + " WHERE s.host = ? AND s.kind = ? AND u.bucket_start >= ? AND u.bucket_start < ?")) {
                ps.setString(1, host);
                ps.setString(2, kind.sql());
                ps.setObject(3, LedgerStore.utc(from));
                ps.setObject(4, LedgerStore.utc(to));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        seen.add(rs.getInt(13), rs.getObject(14, java.time.OffsetDateTime.class).toInstant());
                        m.merge(new SeriesKey(kind, rs.getString(1), rs.getString(2), rs.getString(3)),
                                new SlotUsage(rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8),
                                        rs.getLong(9), rs.getLong(10), rs.getInt(11), rs.getInt(12)), SlotUsage::plus);
                    }
                }
            }
            SealedSlots.missing(c, java.util.Optional.of(host), kind, from, to, seen,
                    x -> m.merge(x.key(), x.usage(), SlotUsage::plus));
            OpenBuckets open = OpenBuckets.read(c);
            for (SeriesKey k : open.series(host, kind)) {
                for (SlotUsage u : open.of(host, k, from, to).values()) {
                    m.merge(k, u, SlotUsage::plus);
                }
            }
            return m;
        });
    }
}
