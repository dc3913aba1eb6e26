package org.pfmeter.accounting.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.pfmeter.accounting.store.AccountingStore;
import org.pfmeter.accounting.store.Database;
import org.pfmeter.accounting.store.DaySlots;
import org.pfmeter.pf.model.LabelKey;

/**
 * Seals ended UTC days: packs each label's 5-minute rows of the day into one {@code usage_5m_day}
 * row (migration V3), so that a monthly report reads 31 rows a label instead of 8,928. The ledger
 * seals the next due day in the transaction of a poll ({@link LedgerWriter}); {@link #sealUntil}
 * does the same for data that did not come through the ledger (a bulk load, a benchmark).
 */
public final class DaySeal {

    private DaySeal() {
    }

    /**
     * Seals, one transaction per day, every day of {@code host} from its {@code sealed_until} (or
     * the day of its first poll) up to the day before {@code until}.
     *
     * @return how many days were sealed
     * @throws IllegalArgumentException for a host that has never been polled
     */
    public static int sealUntil(AccountingStore store, String host, Instant until) {
        Objects.requireNonNull(host, "host");
        int days = 0;
        while (true) {
            boolean sealed = store.inTransaction("seal a day of " + host, c -> {
                Instant next = nextDay(c, host);
                if (!next.isBefore(DaySlots.dayOf(until))) {
                    return false;
                }
                sealDay(c, Database.of(c), host, next);
                setSealedUntil(c, host, next.plus(DaySlots.DAY));
                return true;
            });
            if (!sealed) {
                return days;
            }
            days++;
        }
    }

    /** The first day not sealed for {@code host}. */
    static Instant nextDay(Connection c, String host) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT sealed_until, first_polled_at FROM pf_host WHERE host = ?")) {
            ps.setString(1, host);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalArgumentException("host '" + host + "' has never been polled into this database");
                }
                OffsetDateTime sealed = rs.getObject(1, OffsetDateTime.class);
                return sealed != null ? sealed.toInstant() : DaySlots.dayOf(rs.getObject(2, OffsetDateTime.class).toInstant());
            }
        }
    }

    static void setSealedUntil(Connection c, String host, Instant day) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE pf_host SET sealed_until = ? WHERE host = ?")) {
            ps.setObject(1, utc(day));
            ps.setString(2, host);
            ps.executeUpdate();
        }
    }

    /**
     * The read that seals a day: every 5-minute row of the host in the day. On H2 it must go through
     * the bucket index: H2's planner otherwise picks the primary key for {@code host = ?} and walks
     * every row the host has ever had (SealPlanTest pins the plan).
     */
    static String dayRowsSql(Database db) {
        return "SELECT anchor, label, bucket_start, packets_in, packets_out, bytes_in, bytes_out FROM usage_5m"
                + (db == Database.H2 ? " USE INDEX (ix_usage_5m_bucket)" : "")
                + " WHERE bucket_start >= ? AND bucket_start < ? AND host = ?";
    }

    /** Packs every label's rows of {@code day} (a UTC midnight) into its day row, replacing any. */
    static void sealDay(Connection c, Database db, String host, Instant day) throws SQLException {
        Map<LabelKey, DaySlots> labels;
        try (PreparedStatement ps = c.prepareStatement(dayRowsSql(db))) {
            ps.setFetchSize(10_000);
            ps.setObject(1, utc(day));
            ps.setObject(2, utc(day.plus(DaySlots.DAY)));
            ps.setString(3, host);
            labels = pack(ps, day);
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM usage_5m_day WHERE host = ? AND day_start = ?")) {
            ps.setString(1, host);
            ps.setObject(2, utc(day));
            ps.executeUpdate();
        }
        insert(c, host, day, labels);
    }

    /** Packs one label's rows of {@code day} again, after a poll added to a day already sealed. */
    static void resealLabelDay(Connection c, String host, LabelKey k, Instant day) throws SQLException {
        Map<LabelKey, DaySlots> labels;
        try (PreparedStatement ps = c.prepareStatement("SELECT anchor, label, bucket_start, packets_in, packets_out, bytes_in,"
                + " bytes_out FROM usage_5m WHERE host = ? AND anchor = ? AND label = ? AND bucket_start >= ? AND bucket_start < ?")) {
            ps.setString(1, host);
            ps.setString(2, k.anchor());
            ps.setString(3, k.label());
            ps.setObject(4, utc(day));
            ps.setObject(5, utc(day.plus(DaySlots.DAY)));
            labels = pack(ps, day);
        }
        try (PreparedStatement ps = c.prepareStatement(
                "DELETE FROM usage_5m_day WHERE host = ? AND anchor = ? AND label = ? AND day_start = ?")) {
            ps.setString(1, host);
            ps.setString(2, k.anchor());
            ps.setString(3, k.label());
            ps.setObject(4, utc(day));
            ps.executeUpdate();
        }
        insert(c, host, day, labels);
    }

    /**
     * Runs {@code ps}, whose rows are (anchor, label, bucket_start, packets_in, packets_out, bytes_in,
     * bytes_out) of {@code day}, and packs them per label, in label order.
     */
    private static Map<LabelKey, DaySlots> pack(PreparedStatement ps, Instant day) throws SQLException {
        Map<LabelKey, DaySlots> labels = new TreeMap<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                labels.computeIfAbsent(new LabelKey(rs.getString(1), rs.getString(2)), k -> new DaySlots())
                        .add(day, rs.getObject(3, OffsetDateTime.class).toInstant(), rs.getLong(4), rs.getLong(5),
                                rs.getLong(6), rs.getLong(7));
            }
        }
        return labels;
    }

    private static void insert(Connection c, String host, Instant day, Map<LabelKey, DaySlots> labels) throws SQLException {
        if (labels.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO usage_5m_day (host, anchor, label, day_start, packets_in,"
                + " packets_out, slots) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            int batched = 0;
            for (Map.Entry<LabelKey, DaySlots> e : labels.entrySet()) {
                ps.setString(1, host);
                ps.setString(2, e.getKey().anchor());
                ps.setString(3, e.getKey().label());
                ps.setObject(4, utc(day));
                ps.setLong(5, e.getValue().packetsIn());
                ps.setLong(6, e.getValue().packetsOut());
                ps.setBytes(7, e.getValue().encode());
                ps.addBatch();
                if (++batched % 1_000 == 0) {
                    ps.executeBatch();
                }
            }
            ps.executeBatch();
        }
    }

    private static OffsetDateTime utc(Instant t) {
        return t.atOffset(ZoneOffset.UTC);
    }
}
