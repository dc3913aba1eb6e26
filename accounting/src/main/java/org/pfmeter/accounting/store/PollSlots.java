package org.pfmeter.accounting.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/**
 * The 5-minute slots in which the ledger stored a poll of a host ({@code host_poll_slot}, migration
 * V4): what billing reports measure their coverage against. A slot is the one {@code usage_5m} books
 * a poll in ({@link SlotGrid#slotOf}), so "polled in slot s" and "traffic of slot s" agree.
 */
public final class PollSlots {

    private PollSlots() {
    }

    /**
     * Per host, the polled slots among the {@code slots} 5-minute grid points from {@code first}
     * (epoch seconds): bit {@code i} is the slot starting at {@link SlotGrid#start SlotGrid.start(first, i)}. Hosts with no
     * poll in the range are absent.
     */
    public static Map<String, BitSet> read(Connection c, long first, int slots) throws SQLException {
        Map<String, BitSet> m = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT host, slot_start FROM host_poll_slot WHERE slot_start >= ? AND slot_start < ?")) {
            ps.setObject(1, Instant.ofEpochSecond(first).atOffset(ZoneOffset.UTC));
            ps.setObject(2, Instant.ofEpochSecond(SlotGrid.start(first, slots)).atOffset(ZoneOffset.UTC));
            ps.setFetchSize(10_000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long t = rs.getObject(2, OffsetDateTime.class).toEpochSecond();
                    m.computeIfAbsent(rs.getString(1), h -> new BitSet(slots)).set((int) ((t - first) / SlotGrid.SECONDS));
                }
            }
        }
        return m;
    }

    /** The first poll of each host ({@code pf_host.first_polled_at}). */
    public static Map<String, Instant> firstPolls(Connection c) throws SQLException {
        Map<String, Instant> m = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT host, first_polled_at FROM pf_host");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                m.put(rs.getString(1), rs.getObject(2, OffsetDateTime.class).toInstant());
            }
        }
        return m;
    }
}
