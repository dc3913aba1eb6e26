package org.pfmeter.accounting.ledger;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Decides the time a poll is booked at, so that a wall clock that jumps can neither stop the
 * accounting nor put a poll into a bucket that is already closed. Pure: no database, no clock.
 *
 * <p>Deltas come from the counters alone, so a jump never changes how many bytes are counted; it
 * only decides the 5-minute bucket they go to. The rules:
 * <ul>
 *   <li>A poll is always booked strictly after the host's last booked poll: closed buckets and sealed
 *       days never change. A poll stamped at or before it is booked just after it (1 µs), in the
 *       bucket still open, instead of being skipped. Only a poll stamped exactly at the last booked
 *       time is skipped: that is a retry of a commit that did go through.</li>
 *   <li>With the monotonic reading of the previous poll (same process), the poll is expected at the
 *       last booked time plus the elapsed time. Within the tolerance of that, its own stamp is used.
 *       Further off (a poll stamped years ahead, an NTP step), it is booked at the expected time
 *       instead, so a single poll from the far future closes no bucket, and the polls after it, back
 *       at the right time, go on where they belong.</li>
 *   <li>When the wall clock stays off for the settle time (measured on the monotonic clock), the wall
 *       clock is believed again: forward, the gap stays empty; backward, the polls go to the last
 *       booked bucket until the wall clock passes it.</li>
 *   <li>A jump is reported when the wall clock's step between two polls differs from the monotonic
 *       step by more than the tolerance (both ways, so a poll from 2031 and the return show as one
 *       forward and one backward jump), or, without a monotonic reading (the first poll after a
 *       start), when the stamp lies before the last stored poll.</li>
 * </ul>
 */
final class PollClock {

    private static final Duration MIN_STEP = Duration.of(1, ChronoUnit.MICROS);

    /**
     * What the ledger remembers of a host's last booked poll, in this process.
     *
     * @param wall        its own stamp
     * @param elapsed     the monotonic clock's reading when it was queued
     * @param offSince    the monotonic reading of the first poll of a run whose wall clock disagrees
     *                    with the elapsed time, if the last poll was in such a run
     */
    record State(Instant wall, Instant elapsed, Optional<Instant> offSince) {
    }

    /**
     * @param bookAt when the poll is booked
     * @param jump   the jump this poll shows, if any
     * @param next   what to remember when the poll is stored
     */
    record Decision(Instant bookAt, Optional<ClockJump> jump, Optional<State> next) {
    }

    private final Duration tolerance;
    private final Duration settle;

    PollClock(Duration tolerance, Duration settle) {
        this.tolerance = tolerance;
        this.settle = settle;
    }

    /**
     * @param lastBooked the host's last stored poll, empty for its first
     * @param previous   what this process remembers of it, if anything
     * @param wall       the poll's stamp (microseconds)
     * @param elapsed    the monotonic reading taken when it was queued, if the ledger has that clock
     */
    Decision decide(String host, Optional<Instant> lastBooked, Optional<State> previous, Instant wall,
                    Optional<Instant> elapsed) {
        if (lastBooked.isEmpty()) {
            return new Decision(wall, Optional.empty(), elapsed.map(e -> new State(wall, e, Optional.empty())));
        }
        Instant last = lastBooked.get();
        Instant floor = last.plus(MIN_STEP);
        if (previous.isEmpty() || elapsed.isEmpty()) {
            Optional<State> next = elapsed.map(e -> new State(wall, e, Optional.empty()));
            if (wall.isAfter(last)) {
                return new Decision(wall, Optional.empty(), next);
            }
            return new Decision(floor, Optional.of(new ClockJump(host, false, Duration.between(wall, last), wall, floor)), next);
        }
        State p = previous.get();
        Instant e = elapsed.get();
        Duration mono = Duration.between(p.elapsed(), e);
        if (mono.isNegative()) {
            mono = Duration.ZERO;
        }
        Duration drift = Duration.between(p.wall(), wall).minus(mono);
        Optional<ClockJump> jump = Optional.empty();
        Instant expected = last.plus(mono).truncatedTo(ChronoUnit.MICROS);
        Duration off = Duration.between(expected, wall);
        Instant bookAt;
        Optional<Instant> offSince;
        if (off.abs().compareTo(tolerance) <= 0) {
            bookAt = later(wall, floor);
            offSince = Optional.empty();
        } else {
            offSince = Optional.of(p.offSince().orElse(e));
            boolean settled = Duration.between(offSince.get(), e).compareTo(settle) >= 0;
            bookAt = settled ? later(wall, floor) : later(expected, floor);
        }
        if (drift.abs().compareTo(tolerance) > 0) {
            jump = Optional.of(new ClockJump(host, !drift.isNegative(), drift.abs(), wall, bookAt));
        }
        return new Decision(bookAt, jump, Optional.of(new State(wall, e, offSince)));
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
