package org.pfmeter.accounting.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.pfmeter.pf.model.LabelKey;

/**
 * Every 5-minute bucket the ledger holds, closed ({@code usage_5m}) or still open (the journal):
 * what audits, the simulation's ground-truth check and tests read. A bucket of a sealed day whose
 * row retention has deleted ({@link SealedRowRetention}) is read from the sealed day, with its
 * packets and bytes (evaluations, states and polls 0). Reports read through
 * {@link SqlUsageSource}, which reads sealed days as well.
 */
public final class BucketRows {

    /** One label's usage in one bucket of one host. */
    public record Row(String host, LabelKey key, Instant bucket, SlotUsage usage, boolean open) {
    }

    private BucketRows() {
    }

    /** The buckets with {@code from ≤ start < to} of {@code host} (empty: every host), by host, label and time. */
    public static List<Row> read(Connection c, Optional<String> host, Instant from, Instant to) throws SQLException {
        List<Row> rows = new ArrayList<>();
        SealedSlots.Seen seen = new SealedSlots.Seen();
        try (PreparedStatement ps = c.prepareStatement("SELECT s.host, s.anchor, s.label, u.bucket_start, u.packets_in,"
                + " u.packets_out, u.bytes_in, u.bytes_out, u.evaluations, u.states_created, u.states_max, u.polls, u.resets,"
                + " u.series_id"
                + " FROM usage_5m u JOIN series s ON s.series_id = u.series_id"
                + " WHERE u.bucket_start >= ? AND u.bucket_start < ? AND s.kind = 'label'" + (host.isPresent() ? " AND s.host = ?" : ""))) {
            ps.setObject(1, LedgerStore.utc(from));
            ps.setObject(2, LedgerStore.utc(to));
            if (host.isPresent()) {
                ps.setString(3, host.get());
            }
            ps.setFetchSize(10_000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Instant bucket = rs.getObject(4, OffsetDateTime.class).toInstant();
                    seen.add(rs.getInt(14), bucket);
                    rows.add(new Row(rs.getString(1), new LabelKey(rs.getString(2), rs.getString(3)), bucket,
                            new SlotUsage(rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9),
                                    rs.getLong(10), rs.getLong(11), rs.getInt(12), rs.getInt(13)), false));
                }
            }
        }
        SealedSlots.missing(c, host, SeriesKind.LABEL, from, to, seen, x -> rows.add(new Row(x.host(),
                new LabelKey(x.key().anchor(), x.key().label()), x.bucket(), x.usage(), false)));
        OpenBuckets open = OpenBuckets.read(c);
        for (String h : open.hosts()) {
            if (host.isPresent() && !host.get().equals(h)) {
                continue;
            }
            for (LabelKey k : open.labels(h)) {
                for (Map.Entry<Instant, SlotUsage> e : open.of(h, k, from, to).entrySet()) {
                    rows.add(new Row(h, k, e.getKey(), e.getValue(), true));
                }
            }
        }
        rows.sort(Comparator.comparing(Row::host).thenComparing(r -> r.key().anchor()).thenComparing(r -> r.key().label())
                .thenComparing(Row::bucket));
        return rows;
    }
}
