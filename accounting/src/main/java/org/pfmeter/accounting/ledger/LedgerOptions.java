package org.pfmeter.accounting.ledger;

/**
 * How the ledger behaves when the database fails.
 *
 * @param backlogLimit how many polls (observations) to keep in memory while the database cannot be
 *                     written (config key {@code accounting.backlog-polls}); when full, the oldest is
 *                     dropped and counted. Dropping one loses no bytes by itself: the next stored
 *                     poll's delta still covers the gap (booked in that poll's bucket); bytes are
 *                     lost only when pf reset the counters inside the dropped span.
 */
public record LedgerOptions(int backlogLimit) {

    /** 1440 polls: a day at the default 60-second poll interval. */
    public static final int DEFAULT_BACKLOG_LIMIT = 1440;

    public LedgerOptions {
        if (backlogLimit < 1) {
            throw new IllegalArgumentException("accounting.backlog-polls must be at least 1, got " + backlogLimit);
        }
    }

    public static LedgerOptions defaults() {
        return new LedgerOptions(DEFAULT_BACKLOG_LIMIT);
    }
}
