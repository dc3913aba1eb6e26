package org.pfmeter.accounting.ledger;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.pfmeter.accounting.store.Database;
import org.pfmeter.accounting.store.DaySlots;
import org.pfmeter.accounting.store.PollSlots;
import org.pfmeter.accounting.store.SlotGrid;
import org.pfmeter.accounting.store.UsageLevel;
import org.pfmeter.pf.model.LabelCounters;
import org.pfmeter.pf.model.LabelKey;

/**
 * Writes one observation in the caller's transaction: reads the stored previous counters, computes
 * the deltas, stores the new raw counters, adds the deltas to the 5-minute, hourly and daily
 * buckets, records resets and the poll's 5-minute slot (billing's coverage). Portable SQL only
 * (UPDATE, then INSERT what was not there): one writer per host, and every key starts with the
 * host, so fleet writers never touch each other's rows.
 */
final class LedgerWriter {

    /** What writing one observation did. */
    record Written(boolean stale, int labels, int resets, long implausible, List<LabelDelta> deltas) {
    }

    private static final BigDecimal TWO_64 = new BigDecimal(java.math.BigInteger.ONE.shiftLeft(64));

    private LedgerWriter() {
    }

    static Written write(Connection c, Observation o) throws SQLException {
        HostRow host = readHost(c, o.host());
        if (host != null && !o.takenAt().isAfter(host.lastPolledAt)) {
            // already stored (a retry of a commit that did go through) or older than what is stored
            return new Written(true, 0, 0, 0, List.of());
        }
        HostChange change = host == null ? HostChange.FIRST
                : new HostChange(false, !host.checksum.equals(o.checksum()), host.since != o.since());
        Map<LabelKey, StoredCounters> previous = host == null ? Map.of() : readCounters(c, o.host());

        List<LabelDelta> deltas = new ArrayList<>(o.labels().size());
        Set<LabelKey> seen = new HashSet<>();
        for (LabelCounters l : o.labels()) {
            if (!seen.add(l.key())) {
                throw new IllegalArgumentException("label " + l.key() + " appears twice in one poll of " + o.host());
            }
            deltas.add(DeltaRules.delta(l.key(), Counters.of(l), l.statesCur(), previous.get(l.key()), change, o.takenAt()));
        }

        writeHost(c, o, host == null);
        writePollSlot(c, o, host);
        writeCounters(c, o, previous.keySet());
        int resets = 0;
        long implausible = 0;
        for (LabelDelta d : deltas) {
            if (d.reset() != Reset.NONE && d.reset() != Reset.BASELINE) {
                resets++;
            }
            if (d.detail().contains("not counted")) {
                implausible++;
            }
        }
        for (UsageLevel level : UsageLevel.values()) {
            addToBuckets(c, level, o, deltas);
        }
        writeEvents(c, o, change, deltas);
        seal(c, o, host, deltas);
        return new Written(false, deltas.size(), resets, implausible, deltas);
    }

    // ---------------------------------------------------------------------------------------------
    // host

    /** @param sealedUntil null before the first poll under schema V3 */
    private record HostRow(Instant lastPolledAt, String checksum, long since, Instant firstPolledAt, Instant sealedUntil) {
    }

    private static HostRow readHost(Connection c, String host) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT last_polled_at, ruleset_checksum, pf_since, first_polled_at, sealed_until FROM pf_host WHERE host = ?")) {
            ps.setString(1, host);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                OffsetDateTime sealed = rs.getObject(5, OffsetDateTime.class);
                return new HostRow(rs.getObject(1, OffsetDateTime.class).toInstant(), rs.getString(2), u64(rs.getBigDecimal(3)),
                        rs.getObject(4, OffsetDateTime.class).toInstant(), sealed == null ? null : sealed.toInstant());
            }
        }
    }

    private static void writeHost(Connection c, Observation o, boolean insert) throws SQLException {
        String sql = insert
                ? "INSERT INTO pf_host (last_polled_at, ruleset_checksum, pf_since, host, first_polled_at) VALUES (?, ?, ?, ?, ?)"
                : "UPDATE pf_host SET last_polled_at = ?, ruleset_checksum = ?, pf_since = ? WHERE host = ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, utc(o.takenAt()));
            ps.setString(2, o.checksum());
            ps.setBigDecimal(3, decimal(o.since()));
            ps.setString(4, o.host());
            if (insert) {
                ps.setObject(5, utc(o.takenAt()));
            }
            ps.executeUpdate();
        }
    }

    /**
     * Records the poll's 5-minute slot (migration V4) when it is the host's first poll in that slot:
     * polls are stored in time order, so the previous stored poll tells.
     */
    private static void writePollSlot(Connection c, Observation o, HostRow host) throws SQLException {
        Instant slot = SlotGrid.slotOf(o.takenAt());
        if (host == null || !slot.equals(SlotGrid.slotOf(host.lastPolledAt))) {
            PollSlots.record(c, o.host(), slot);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // previous counters

    private static Map<LabelKey, StoredCounters> readCounters(Connection c, String host) throws SQLException {
        Map<LabelKey, StoredCounters> m = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT anchor, label, polled_at, rule_count, evaluations, packets_in, packets_out, bytes_in, bytes_out,"
                        + " states_total FROM label_counters WHERE host = ?")) {
            ps.setString(1, host);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    m.put(new LabelKey(rs.getString(1), rs.getString(2)), new StoredCounters(
                            new Counters(rs.getInt(4), u64(rs.getBigDecimal(5)), u64(rs.getBigDecimal(6)),
                                    u64(rs.getBigDecimal(7)), u64(rs.getBigDecimal(8)), u64(rs.getBigDecimal(9)),
                                    u64(rs.getBigDecimal(10))),
                            rs.getObject(3, OffsetDateTime.class).toInstant()));
                }
            }
        }
        return m;
    }

    private static void writeCounters(Connection c, Observation o, Set<LabelKey> stored) throws SQLException {
        try (PreparedStatement update = c.prepareStatement(
                "UPDATE label_counters SET polled_at = ?, rule_count = ?, evaluations = ?, packets_in = ?, packets_out = ?,"
                        + " bytes_in = ?, bytes_out = ?, states_total = ? WHERE host = ? AND anchor = ? AND label = ?");
             PreparedStatement insert = c.prepareStatement(
                "INSERT INTO label_counters (polled_at, rule_count, evaluations, packets_in, packets_out, bytes_in, bytes_out,"
                        + " states_total, host, anchor, label) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            int updates = 0;
            int inserts = 0;
            for (LabelCounters l : o.labels()) {
                PreparedStatement ps = stored.contains(l.key()) ? update : insert;
                ps.setObject(1, utc(o.takenAt()));
                ps.setInt(2, l.rules());
                ps.setBigDecimal(3, decimal(l.evaluations()));
                ps.setBigDecimal(4, decimal(l.packetsIn()));
                ps.setBigDecimal(5, decimal(l.packetsOut()));
                ps.setBigDecimal(6, decimal(l.bytesIn()));
                ps.setBigDecimal(7, decimal(l.bytesOut()));
                ps.setBigDecimal(8, decimal(l.statesTotal()));
                ps.setString(9, o.host());
                ps.setString(10, l.anchor());
                ps.setString(11, l.label());
                ps.addBatch();
                if (ps == update) {
                    updates++;
                } else {
                    inserts++;
                }
            }
            // Labels that vanished keep their last counters: if they come back without a reload (an
            // anchor loaded again), rule 4/5 of DeltaRules sees it.
            if (updates > 0) {
                update.executeBatch();
            }
            if (inserts > 0) {
                insert.executeBatch();
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // buckets

    /** The deltas that get a bucket row: those that moved, and resets (which count the current value). */
    private static List<LabelDelta> moved(List<LabelDelta> deltas) {
        List<LabelDelta> moved = new ArrayList<>();
        for (LabelDelta d : deltas) {
            if (!d.isZero() || d.reset() != Reset.NONE && d.reset() != Reset.BASELINE) {
                moved.add(d);
            }
        }
        return moved;
    }

    private static void addToBuckets(Connection c, UsageLevel level, Observation o, List<LabelDelta> deltas) throws SQLException {
        List<LabelDelta> moved = moved(deltas);
        if (moved.isEmpty()) {
            return;
        }
        OffsetDateTime bucket = utc(level.bucketOf(o.takenAt()));
        String t = level.table();
        try (PreparedStatement update = c.prepareStatement(bucketUpdate(t))) {
            for (LabelDelta d : moved) {
                bind(update, d, o.host(), bucket);
                update.addBatch();
            }
            int[] counts = update.executeBatch();
            List<LabelDelta> missing = new ArrayList<>();
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] == 0) {
                    missing.add(moved.get(i));
                } else if (counts[i] != 1 && counts[i] != java.sql.Statement.SUCCESS_NO_INFO) {
                    throw new SQLException("updating " + t + " for " + moved.get(i).key() + " touched " + counts[i] + " rows");
                } else if (counts[i] == java.sql.Statement.SUCCESS_NO_INFO) {
                    throw new SQLException("the JDBC driver did not report update counts for " + t);
                }
            }
            if (missing.isEmpty()) {
                return;
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + t + " (packets_in, packets_out, bytes_in,"
                    + " bytes_out, evaluations, states_created, states_max, polls, resets, host, anchor, label, bucket_start)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?)")) {
                for (LabelDelta d : missing) {
                    bind(insert, d, o.host(), bucket);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        }
    }

    /** Adds one label's deltas to its bucket row; must be a unique lookup (see V2's comment). */
    static String bucketUpdate(String table) {
        return "UPDATE " + table + " SET packets_in = packets_in + ?,"
                + " packets_out = packets_out + ?, bytes_in = bytes_in + ?, bytes_out = bytes_out + ?,"
                + " evaluations = evaluations + ?, states_created = states_created + ?,"
                + " states_max = GREATEST(states_max, ?), polls = polls + 1, resets = resets + ?"
                + " WHERE host = ? AND anchor = ? AND label = ? AND bucket_start = ?";
    }

    private static void bind(PreparedStatement ps, LabelDelta d, String host, OffsetDateTime bucket) throws SQLException {
        ps.setLong(1, d.packetsIn());
        ps.setLong(2, d.packetsOut());
        ps.setLong(3, d.bytesIn());
        ps.setLong(4, d.bytesOut());
        ps.setLong(5, d.evaluations());
        ps.setLong(6, d.statesCreated());
        ps.setLong(7, d.statesCur());
        ps.setInt(8, d.reset() == Reset.NONE || d.reset() == Reset.BASELINE ? 0 : 1);
        ps.setString(9, host);
        ps.setString(10, d.key().anchor());
        ps.setString(11, d.key().label());
        ps.setObject(12, bucket);
    }

    // ---------------------------------------------------------------------------------------------
    // sealed days

    /**
     * Keeps {@code usage_5m_day} (migration V3) in step, in the poll's transaction: seals the next
     * ended day if one is due (one day per poll, so a database upgraded with a year of rows catches
     * up over a year's worth of polls without one long transaction), and packs again the day row of
     * every label this poll added to if its day is already sealed. The ledger never books a poll
     * before the last one stored, so that happens only when days were sealed ahead
     * ({@link DaySeal#sealUntil}).
     */
    private static void seal(Connection c, Observation o, HostRow host, List<LabelDelta> deltas) throws SQLException {
        Instant bucket = SlotGrid.slotOf(o.takenAt());
        Instant current = DaySlots.dayOf(bucket);
        Instant next = host == null ? current
                : host.sealedUntil != null ? host.sealedUntil : DaySlots.dayOf(host.firstPolledAt);
        if (bucket.isBefore(next)) {
            for (LabelDelta d : moved(deltas)) {
                DaySeal.resealLabelDay(c, o.host(), d.key(), current);
            }
        }
        Instant sealedUntil = next;
        if (next.isBefore(current)) {
            DaySeal.sealDay(c, Database.of(c), o.host(), next);
            sealedUntil = next.plus(DaySlots.DAY);
        }
        if (host == null || !sealedUntil.equals(host.sealedUntil)) {
            DaySeal.setSealedUntil(c, o.host(), sealedUntil);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // audit trail

    private static void writeEvents(Connection c, Observation o, HostChange change, List<LabelDelta> deltas) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO ledger_event (host, event_at, kind, anchor, label, detail) VALUES (?, ?, ?, ?, ?, ?)")) {
            int n = 0;
            if (change.firstObservation()) {
                n += event(ps, o, Reset.BASELINE.kind(), "", "", "first poll stored for this host; "
                        + o.labels().size() + " labels are the baseline");
            }
            if (change.checksumChanged()) {
                n += event(ps, o, "ruleset-changed", "", "", "pf_chksum is now " + o.checksum());
            }
            if (change.pfRestarted()) {
                n += event(ps, o, "pf-restarted", "", "", "pf_status.since is now " + Long.toUnsignedString(o.since()));
            }
            for (LabelDelta d : deltas) {
                if (d.reset() != Reset.NONE && d.reset() != Reset.BASELINE) {
                    n += event(ps, o, d.reset().kind(), d.key().anchor(), d.key().label(), d.detail());
                }
            }
            if (n > 0) {
                ps.executeBatch();
            }
        }
    }

    private static int event(PreparedStatement ps, Observation o, String kind, String anchor, String label, String detail)
            throws SQLException {
        ps.setString(1, o.host());
        ps.setObject(2, utc(o.takenAt()));
        ps.setString(3, kind);
        ps.setString(4, anchor);
        ps.setString(5, label);
        ps.setString(6, detail.length() > 1024 ? detail.substring(0, 1024) : detail);
        ps.addBatch();
        return 1;
    }

    // ---------------------------------------------------------------------------------------------

    static OffsetDateTime utc(Instant t) {
        return t.atOffset(ZoneOffset.UTC);
    }

    /** An unsigned 64-bit counter as an exact decimal. */
    static BigDecimal decimal(long unsigned) {
        BigDecimal d = BigDecimal.valueOf(unsigned);
        return unsigned < 0 ? d.add(TWO_64) : d;
    }

    /** Back from the decimal: exact for 0 .. 2^64 − 1. */
    static long u64(BigDecimal d) {
        if (d.signum() < 0 || d.compareTo(TWO_64) >= 0 || d.stripTrailingZeros().scale() > 0) {
            throw new IllegalStateException("stored counter " + d.toPlainString() + " is not an unsigned 64-bit integer");
        }
        return d.toBigInteger().longValue();
    }
}
