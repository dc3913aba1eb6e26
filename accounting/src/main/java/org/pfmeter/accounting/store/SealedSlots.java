package org.pfmeter.accounting.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The slots of sealed days whose 5-minute rows {@link SealedRowRetention} has deleted, for the
 * readers that read 5-minute rows ({@link BucketRows}, {@link SeriesUsage}): a slot a sealed day
 * holds with no row in {@code usage_5m} is one whose row was deleted after the day was sealed
 * (rows are only ever deleted before {@code pf_host.sealed_until}, and no row is written into a
 * sealed day), so its packets and bytes come from the day. Evaluations, states and poll counts
 * are not in sealed days: they read as 0.
 */
final class SealedSlots {

    /** A slot read from a sealed day. */
    record Slot(int seriesId, String host, SeriesKey key, Instant bucket, SlotUsage usage) {
    }

    interface Sink {
        void slot(Slot s);
    }

    /** The slots of 5-minute rows already read: series and slot start. */
    static final class Seen {
        private final Set<Long> slots = new HashSet<>();

        void add(int seriesId, Instant bucket) {
            slots.add(key(seriesId, bucket));
        }

        boolean contains(int seriesId, Instant bucket) {
            return slots.contains(key(seriesId, bucket));
        }

        private static long key(int seriesId, Instant bucket) {
            return ((long) seriesId << 32) | (bucket.getEpochSecond() / SlotGrid.SECONDS);
        }
    }

    private SealedSlots() {
    }

    /**
     * Hands over every slot with {@code from ≤ start < to} of the sealed days of the series of
     * {@code kind} (of {@code host}, or of every host) that {@code seen} does not hold.
     */
    static void missing(Connection c, Optional<String> host, SeriesKind kind, Instant from, Instant to, Seen seen, Sink sink)
            throws SQLException {
        if (!from.isBefore(to)) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT s.series_id, s.host, s.anchor, s.table_name, s.label,"
                + " d.day_start, d.slots, h.sealed_until FROM usage_5m_day d JOIN series s ON s.series_id = d.series_id"
                + " JOIN pf_host h ON h.host = s.host"
                + " WHERE s.kind = ? AND d.day_start >= ? AND d.day_start < ? AND d.day_start < h.sealed_until"
                + (host.isPresent() ? " AND s.host = ?" : ""))) {
            ps.setString(1, kind.sql());
            ps.setObject(2, LedgerStore.utc(DaySlots.dayOf(from)));
            ps.setObject(3, LedgerStore.utc(to));
            if (host.isPresent()) {
                ps.setString(4, host.get());
            }
            ps.setFetchSize(1_000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int id = rs.getInt(1);
                    String h = rs.getString(2);
                    SeriesKey key = new SeriesKey(kind, rs.getString(3), rs.getString(4), rs.getString(5));
                    long day = rs.getObject(6, OffsetDateTime.class).toEpochSecond();
                    long sealedUntil = rs.getObject(8, OffsetDateTime.class).toEpochSecond();
                    long lo = from.getEpochSecond();
                    long hi = Math.min(to.getEpochSecond(), sealedUntil);
                    DaySlots.decode(rs.getBytes(7), "usage_5m_day " + h + " " + key + " " + Instant.ofEpochSecond(day),
                            (i, pin, pout, bin, bout) -> {
                                long at = day + (long) i * SlotGrid.SECONDS;
                                if (at < lo || at >= hi) {
                                    return;
                                }
                                Instant bucket = Instant.ofEpochSecond(at);
                                if (!seen.contains(id, bucket)) {
                                    sink.slot(new Slot(id, h, key, bucket, new SlotUsage(pin, pout, bin, bout, 0, 0, 0, 0, 0)));
                                }
                            });
                }
            }
        }
    }
}
