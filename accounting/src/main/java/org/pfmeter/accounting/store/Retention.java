package org.pfmeter.accounting.store;

import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Deletes usage data older than the {@link RetentionPolicy} allows. Run it periodically (hourly is
 * plenty) from the exporter's scheduler; it is idempotent, and each level is one short transaction.
 */
public final class Retention {

    private final AccountingStore store;
    private final RetentionPolicy policy;
    private final Clock clock;

    public Retention(AccountingStore store, RetentionPolicy policy, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Deletes, per level, every bucket that ended before now − retention.
     *
     * @return rows deleted per level (levels kept forever are absent)
     * @throws StoreException when the database fails (nothing of the failed level is deleted)
     */
    public Map<UsageLevel, Integer> run() {
        Instant now = clock.instant();
        Map<UsageLevel, Integer> deleted = new EnumMap<>(UsageLevel.class);
        for (UsageLevel level : UsageLevel.values()) {
            Optional<Duration> keep = policy.keep(level);
            if (keep.isEmpty()) {
                continue;
            }
            // a bucket is deleted once all of it is older than the retention
            Instant cutoff = now.minus(keep.get()).minus(level.length());
            int n = store.inTransaction("apply the retention to " + level.table(), c -> {
                int rows;
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + level.table() + " WHERE bucket_start < ?")) {
                    ps.setObject(1, cutoff.atOffset(ZoneOffset.UTC));
                    rows = ps.executeUpdate();
                }
                if (level == UsageLevel.FIVE_MINUTES) {
                    try (PreparedStatement ps = c.prepareStatement("DELETE FROM ledger_event WHERE event_at < ?")) {
                        ps.setObject(1, cutoff.atOffset(ZoneOffset.UTC));
                        ps.executeUpdate();
                    }
                    try (PreparedStatement ps = c.prepareStatement("DELETE FROM host_poll_slot WHERE slot_start < ?")) {
                        ps.setObject(1, cutoff.atOffset(ZoneOffset.UTC));
                        ps.executeUpdate();
                    }
                    // a sealed day (a copy of its 5-minute rows) goes once all of the day is older
                    try (PreparedStatement ps = c.prepareStatement("DELETE FROM usage_5m_day WHERE day_start < ?")) {
                        ps.setObject(1, now.minus(keep.get()).minus(DaySlots.DAY).atOffset(ZoneOffset.UTC));
                        ps.executeUpdate();
                    }
                }
                return rows;
            });
            deleted.put(level, n);
        }
        return deleted;
    }
}
