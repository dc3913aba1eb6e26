package org.pfmeter.accounting.ledger;

import java.time.Duration;
import java.util.Objects;

/**
 * How the ledger behaves when the database fails, and when the clock that stamps polls jumps.
 *
 * @param backlogLimit   how many polls (observations) to keep in memory while the database cannot be
 *                       written (config key {@code accounting.backlog-polls}); when full, the oldest is
 *                       dropped and counted. Dropping one loses no bytes by itself: the next stored
 *                       poll's delta still covers the gap (booked in that poll's bucket); bytes are
 *                       lost only when pf reset the counters inside the dropped span.
 * @param clockTolerance how far a poll's stamp may be from the previous poll's plus the elapsed time
 *                       (monotonic clock) before it counts as a clock jump and is booked at the
 *                       expected time instead ({@link PollClock})
 * @param clockSettle    how long (monotonic) the wall clock must stay off before it is believed again
 */
public record LedgerOptions(int backlogLimit, Duration clockTolerance, Duration clockSettle) {

    /** 1440 polls: a day at the default 60-second poll interval. */
    public static final int DEFAULT_BACKLOG_LIMIT = 1440;
    /** Well above a poll's own duration and any NTP slew, well below a real step. */
    public static final Duration DEFAULT_CLOCK_TOLERANCE = Duration.ofSeconds(60);
    /** A glitch shorter than this is absorbed whole; a real step is followed after it. */
    public static final Duration DEFAULT_CLOCK_SETTLE = Duration.ofMinutes(10);

    public LedgerOptions {
        if (backlogLimit < 1) {
            throw new IllegalArgumentException("accounting.backlog-polls must be at least 1, got " + backlogLimit);
        }
        Objects.requireNonNull(clockTolerance, "clockTolerance");
        Objects.requireNonNull(clockSettle, "clockSettle");
        if (clockTolerance.isNegative() || clockSettle.isNegative()) {
            throw new IllegalArgumentException("the clock tolerance and settle time must not be negative");
        }
    }

    public LedgerOptions(int backlogLimit) {
        this(backlogLimit, DEFAULT_CLOCK_TOLERANCE, DEFAULT_CLOCK_SETTLE);
    }

    public static LedgerOptions defaults() {
        return new LedgerOptions(DEFAULT_BACKLOG_LIMIT);
    }
}
