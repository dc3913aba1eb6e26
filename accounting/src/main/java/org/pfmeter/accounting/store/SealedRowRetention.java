package org.pfmeter.accounting.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Deletes the 5-minute rows ({@code usage_5m}) of sealed days once they are older than
 * {@code accounting.five-minute-retention} (default {@link #DEFAULT_KEEP}). A sealed day
 * ({@code usage_5m_day}, {@link DaySlots}) holds the packets and bytes of every 5-minute slot of its
 * day that has a row, so after sealing those rows are a second copy; at 5,000 labels they are most
 * of the file (accounting/README.md, "The file over a month at 5,000 labels"). After this, the
 * sealed day is the only copy of the day.
 *
 * <p>Rows go oldest first, in batches of whole slots (every series of the host in a slot at once)
 * of about {@link #BATCH_ROWS} rows, one transaction each, until a time budget is spent: a run
 * holds the writer (and with it the next poll's write) for the budget plus one batch. Only rows
 * before the host's {@code pf_host.sealed_until} are ever deleted (checked in the statement
 * itself). So for any slot of a sealed day, a row in {@code usage_5m} and the day's packed slot
 * hold the same packets and bytes, and a slot the day holds without a row means retention deleted
 * the row: readers that want 5-minute rows ({@link BucketRows}, {@link SeriesUsage}) take such
 * slots from the sealed day ({@link SealedSlots}); reports ({@link SqlUsageSource}) read sealed
 * days from {@code usage_5m_day} anyway. Evaluations, states and poll counts of a slot are in the
 * 5-minute row only: they are kept for the retention and read as 0 after it.
 *
 * <p>Never unseal a day (set {@code pf_host.sealed_until} back) once its rows may have been
 * deleted: sealing it again would read no rows and store an empty day.
 *
 * <p>Call from the ledger's writer (one thread).
 */
public final class SealedRowRetention {

    /** The default of {@code accounting.five-minute-retention}. */
    public static final Duration DEFAULT_KEEP = Duration.ofDays(3);
    /** How long the daemon lets one run go on after a write (plus one batch). */
    public static final Duration BUDGET = Duration.ofMillis(200);
    /** About how many rows one transaction deletes. */
    static final int BATCH_ROWS = 20_000;

    /** What one {@link #run} did. */
    public record Result(long rowsDeleted, int batches, boolean caughtUp, Duration took) {
    }

    private final AccountingStore store;
    private final Duration keep;
    /** Per host: every row of the host before this is deleted (or was never there). */
    private final Map<String, Instant> done = new HashMap<>();

    /** @param keep how long after its slot a sealed day's 5-minute row is kept (zero: as soon as the day is sealed) */
    public SealedRowRetention(AccountingStore store, Duration keep) {
        this.store = Objects.requireNonNull(store, "store");
        this.keep = Objects.requireNonNull(keep, "keep");
        if (keep.isNegative()) {
            throw new IllegalArgumentException("a retention is never negative: " + keep);
        }
    }

    public Duration keep() {
        return keep;
    }

    /**
     * Deletes the rows of sealed days that started before {@code now − keep}, oldest first, batch
     * after batch while {@code budget} lasts (at least one batch when there is anything to delete).
     *
     * @throws StoreException when the database fails (the failed batch deletes nothing)
     */
    public Result run(Instant now, Duration budget) {
        long start = System.nanoTime();
        long deadline = start + budget.toNanos();
        Instant horizon = Instant.ofEpochSecond(SlotGrid.floor(now.minus(keep)));
        Map<String, Instant> sealed = store.inTransaction("read how far the hosts are sealed", SealedRowRetention::sealedUntil);
        long rows = 0;
        int batches = 0;
        boolean caughtUp = true;
        for (Map.Entry<String, Instant> h : sealed.entrySet()) {
            String host = h.getKey();
            Instant limit = h.getValue().isBefore(horizon) ? h.getValue() : horizon;
            Instant from = done.get(host);
            if (from == null) {
                Optional<Instant> oldest = store.inTransaction("find the oldest 5-minute row", SealedRowRetention::oldestRow);
                if (oldest.isEmpty()) {
                    continue;
                }
                from = oldest.get();
            }
            if (!from.isBefore(limit)) {
                continue;
            }
            int series = store.inTransaction("count the series of " + host, c -> seriesOf(c, host));
            Duration step = SlotGrid.LENGTH.multipliedBy(Math.max(1, Math.min(DaySlots.SLOTS_PER_DAY,
                    BATCH_ROWS / Math.max(1, series))));
            while (from.isBefore(limit)) {
                if (batches > 0 && System.nanoTime() - deadline >= 0) {
                    caughtUp = false;
                    break;
                }
                Instant a = from;
                Instant b = from.plus(step).isBefore(limit) ? from.plus(step) : limit;
                rows += store.inTransaction("delete the sealed 5-minute rows of " + host + " from " + a,
                        c -> delete(c, host, a, b));
                batches++;
                from = b;
                done.put(host, from);
            }
            if (from.isBefore(limit)) {
                caughtUp = false;
                break;
            }
        }
        return new Result(rows, batches, caughtUp, Duration.ofNanos(System.nanoTime() - start));
    }

    /**
     * The delete of one batch: by the primary key's leading time column; the host's series and its
     * {@code sealed_until} are conditions of the statement, so it never deletes a row of a day not
     * sealed, whatever the caller believes.
     */
    static String deleteSql() {
        return "DELETE FROM usage_5m WHERE bucket_start >= ? AND bucket_start < ?"
                + " AND series_id IN (SELECT series_id FROM series WHERE host = ?)"
                + " AND bucket_start < (SELECT sealed_until FROM pf_host WHERE host = ?)";
    }

    private static int delete(Connection c, String host, Instant from, Instant to) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(deleteSql())) {
            ps.setObject(1, LedgerStore.utc(from));
            ps.setObject(2, LedgerStore.utc(to));
            ps.setString(3, host);
            ps.setString(4, host);
            return ps.executeUpdate();
        }
    }

    private static Map<String, Instant> sealedUntil(Connection c) throws SQLException {
        Map<String, Instant> m = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT host, sealed_until FROM pf_host WHERE sealed_until IS NOT NULL ORDER BY host");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                m.put(rs.getString(1), rs.getObject(2, OffsetDateTime.class).toInstant());
            }
        }
        return m;
    }

    /** The oldest row of any host: cheap through the primary key's leading column. */
    private static Optional<Instant> oldestRow(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT MIN(bucket_start) FROM usage_5m");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return Optional.ofNullable(rs.getObject(1, OffsetDateTime.class)).map(OffsetDateTime::toInstant);
        }
    }

    private static int seriesOf(Connection c, String host) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM series WHERE host = ?")) {
            ps.setString(1, host);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
