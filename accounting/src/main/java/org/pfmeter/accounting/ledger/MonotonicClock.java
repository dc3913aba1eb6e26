package org.pfmeter.accounting.ledger;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that only measures elapsed time: {@link System#nanoTime()} as an instant after the epoch.
 * Only differences of its readings mean anything; unlike the wall clock it is never stepped (NTP,
 * {@code date}), which is what the ledger compares the polls' stamps with.
 */
public final class MonotonicClock extends Clock {

    private static final MonotonicClock SYSTEM = new MonotonicClock();

    private MonotonicClock() {
    }

    public static Clock system() {
        return SYSTEM;
    }

    @Override
    public Instant instant() {
        return Instant.EPOCH.plusNanos(System.nanoTime());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        if (zone.equals(ZoneOffset.UTC)) {
            return this;
        }
        throw new UnsupportedOperationException("a monotonic clock has no zone");
    }
}
