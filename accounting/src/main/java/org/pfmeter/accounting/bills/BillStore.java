package org.pfmeter.accounting.bills;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.pfmeter.accounting.store.AccountingStore;

/**
 * The closed periods of bills ({@code bill_period}, migration V7): written once, never updated.
 */
public final class BillStore {

    private static final String COLUMNS = "bill, period, customer, period_start, period_end, stored_at, bill_type, direction,"
            + " bill_amount, bytes_in, bytes_out, packets_in, packets_out, samples, period_slots, p95_bytes, above_commit";

    private final AccountingStore store;

    public BillStore(AccountingStore store) {
        this.store = store;
    }

    /** Every stored period of {@code bill}, by period name. */
    public Map<String, PeriodFigures> periods(String bill) {
        return store.query("read the stored periods of bill " + bill, c -> {
            Map<String, PeriodFigures> m = new TreeMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM bill_period WHERE bill = ?")) {
                ps.setString(1, bill);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        PeriodFigures f = read(rs);
                        m.put(f.period(), f);
                    }
                }
            }
            return m;
        });
    }

    /** One stored period. */
    public Optional<PeriodFigures> period(String bill, String period) {
        return Optional.ofNullable(periods(bill).get(period));
    }

    /**
     * Stores a closed period unless it is stored already (then the stored row stays as it is).
     *
     * @return true when this call stored it
     */
    public boolean storeOnce(PeriodFigures f, String customer, Instant now) {
        if (!f.closed()) {
            throw new IllegalArgumentException("period " + f.period() + " of bill " + f.bill() + " has not closed");
        }
        return store.inTransaction("store period " + f.period() + " of bill " + f.bill(), c -> {
            if (exists(c, f.bill(), f.period())) {
                return false;
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO bill_period (" + COLUMNS + ")"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, f.bill());
                ps.setString(2, f.period());
                ps.setString(3, customer);
                ps.setObject(4, utc(f.start()));
                ps.setObject(5, utc(f.end()));
                ps.setObject(6, utc(now));
                ps.setString(7, f.type().name());
                ps.setString(8, direction(f.type()));
                ps.setLong(9, amount(f.type()));
                ps.setLong(10, f.bytesIn());
                ps.setLong(11, f.bytesOut());
                ps.setLong(12, f.packetsIn());
                ps.setLong(13, f.packetsOut());
                ps.setInt(14, f.samples());
                ps.setInt(15, f.periodSlots());
                ps.setLong(16, f.p95Bytes());
                ps.setInt(17, f.aboveCommit());
                ps.executeUpdate();
            }
            return true;
        });
    }

    /** Per host, its first and last stored poll ({@code pf_host}). */
    public Map<String, Instant[]> polls() {
        return store.query("read the hosts' polls", c -> {
            Map<String, Instant[]> m = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT host, first_polled_at, last_polled_at FROM pf_host");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    m.put(rs.getString(1), new Instant[] {rs.getObject(2, OffsetDateTime.class).toInstant(),
                            rs.getObject(3, OffsetDateTime.class).toInstant()});
                }
            }
            return m;
        });
    }

    private static boolean exists(Connection c, String bill, String period) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM bill_period WHERE bill = ? AND period = ?")) {
            ps.setString(1, bill);
            ps.setString(2, period);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static PeriodFigures read(ResultSet rs) throws SQLException {
        String kind = rs.getString(7);
        String dir = rs.getString(8);
        long amount = rs.getLong(9);
        BillType type = switch (kind) {
            case "95th" -> new BillType.Percentile95(amount, BillType.RateDirection.valueOf(dir.toUpperCase(java.util.Locale.ROOT)));
            case "quota" -> new BillType.Quota(amount, BillType.QuotaDirection.valueOf(dir.toUpperCase(java.util.Locale.ROOT)));
            case "volume" -> new BillType.Volume();
            default -> throw new IllegalStateException("bill_period.bill_type '" + kind + "' is not one this pfmeter knows");
        };
        Instant end = rs.getObject(5, OffsetDateTime.class).toInstant();
        return new PeriodFigures(rs.getString(1), rs.getString(2), rs.getObject(4, OffsetDateTime.class).toInstant(), end, end,
                true, true, type, rs.getLong(10), rs.getLong(11), rs.getLong(12), rs.getLong(13), rs.getInt(14),
                rs.getInt(15), rs.getLong(16), rs.getInt(17));
    }

    static String direction(BillType t) {
        if (t instanceof BillType.Percentile95 p) {
            return p.direction().text();
        }
        if (t instanceof BillType.Quota q) {
            return q.direction().text();
        }
        return "";
    }

    static long amount(BillType t) {
        if (t instanceof BillType.Percentile95 p) {
            return p.commitBitsPerSecond();
        }
        if (t instanceof BillType.Quota q) {
            return q.quotaBytes();
        }
        return 0;
    }

    private static OffsetDateTime utc(Instant t) {
        return t.atOffset(ZoneOffset.UTC);
    }
}
