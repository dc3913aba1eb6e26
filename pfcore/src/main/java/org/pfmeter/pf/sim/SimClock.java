package org.pfmeter.pf.sim;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The simulated pf's time: either stepped by hand ({@link #manual}) so tests and month-long
 * simulations never sleep, or following a base clock at a multiple of its speed ({@link #scaled}).
 */
public final class SimClock extends Clock {

    private final Clock base;
    private final Instant origin;
    private final Instant baseOrigin;
    private final double speed;
    private Instant manualNow;

    private SimClock(Clock base, Instant origin, double speed, Instant manualNow) {
        this.base = base;
        this.origin = origin;
        this.baseOrigin = base == null ? null : base.instant();
        this.speed = speed;
        this.manualNow = manualNow;
    }

    /** A clock that stands still until {@link #advance} is called. */
    public static SimClock manual(Instant start) {
        return new SimClock(null, start, 0, start);
    }

    /** A clock starting at {@code start} that runs {@code speed} times as fast as {@code base}. */
    public static SimClock scaled(Clock base, Instant start, double speed) {
        if (!(speed > 0)) {
            throw new IllegalArgumentException("speed must be positive, got " + speed);
        }
        return new SimClock(base, start, speed, null);
    }

    public boolean isManual() {
        return base == null;
    }

    /** Moves a manual clock forward. */
    public synchronized void advance(Duration d) {
        if (base != null) {
            throw new IllegalStateException("a scaled clock follows its base clock");
        }
        if (d.isNegative()) {
            throw new IllegalArgumentException("time does not go backwards: " + d);
        }
        manualNow = manualNow.plus(d);
    }

    @Override
    public synchronized Instant instant() {
        if (base == null) {
            return manualNow;
        }
        long elapsedNanos = Duration.between(baseOrigin, base.instant()).toNanos();
        return origin.plusNanos((long) (elapsedNanos * speed));
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("the simulated clock is UTC");
    }
}
