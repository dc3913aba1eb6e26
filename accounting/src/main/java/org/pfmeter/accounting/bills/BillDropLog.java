package org.pfmeter.accounting.bills;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.pfmeter.accounting.store.AccountingStore;

/**
 * Which stored periods of bills have been dropped as files ({@code bill_drop}, migration V8): the
 * daemon writes a period's files, then records it here, so a period is written once whatever
 * restarts or late polls come between (accounting/README.md, "Bills").
 */
public final class BillDropLog {

    /** A stored period of a bill. */
    public record StoredPeriod(String bill, String period) {
    }

    private final AccountingStore store;

    public BillDropLog(AccountingStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /** The periods of {@code bill_period} not recorded as dropped, by bill and period. */
    public List<StoredPeriod> undropped() {
        return store.query("read the closed periods of bills not dropped yet", c -> {
            List<StoredPeriod> l = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT p.bill, p.period FROM bill_period p
                    LEFT JOIN bill_drop d ON d.bill = p.bill AND d.period = p.period
                    WHERE d.bill IS NULL ORDER BY p.bill, p.period""");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    l.add(new StoredPeriod(rs.getString(1), rs.getString(2)));
                }
            }
            return l;
        });
    }

    /**
     * Records that the files of {@code period} of {@code bill} are in place, unless recorded already.
     *
     * @return true when this call recorded it
     */
    public boolean markDropped(String bill, String period, Instant now) {
        return store.inTransaction("record the drop of period " + period + " of bill " + bill, c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM bill_drop WHERE bill = ? AND period = ?")) {
                q.setString(1, bill);
                q.setString(2, period);
                try (ResultSet rs = q.executeQuery()) {
                    if (rs.next()) {
                        return false;
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO bill_drop (bill, period, dropped_at) VALUES (?, ?, ?)")) {
                ps.setString(1, bill);
                ps.setString(2, period);
                ps.setObject(3, now.atOffset(ZoneOffset.UTC));
                ps.executeUpdate();
            }
            return true;
        });
    }
}
