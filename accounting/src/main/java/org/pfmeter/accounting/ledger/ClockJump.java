package org.pfmeter.accounting.ledger;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The wall clock that stamps polls moved against the monotonic clock between two polls of a host
 * (an NTP step, a clock set by hand, a poll stamped years ahead), or a poll's stamp lies before the
 * last one stored.
 *
 * @param host     the host whose poll showed it
 * @param forward  true when the wall clock went ahead of the elapsed time, false when it went back
 * @param size     by how much
 * @param wall     the poll's own stamp
 * @param bookedAt the time the ledger booked the poll at instead (equal to {@code wall} when the
 *                 wall clock was believed)
 */
public record ClockJump(String host, boolean forward, Duration size, Instant wall, Instant bookedAt) {

    public ClockJump {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(size, "size");
        Objects.requireNonNull(wall, "wall");
        Objects.requireNonNull(bookedAt, "bookedAt");
    }

    /** {@code forward} or {@code backward}: the label value of {@code pfmeter_ledger_clock_jumps_total}. */
    public String direction() {
        return forward ? "forward" : "backward";
    }

    /** One line for the log. */
    public String describe() {
        return "the clock of the polls of " + host + " jumped " + direction() + " by " + size
                + " (a poll stamped " + wall + "); its traffic is booked at " + bookedAt
                + (bookedAt.equals(wall) ? "" : ", not at its stamp")
                + ": no bytes are lost or counted twice, only the 5-minute bucket they land in follows the booked time";
    }
}
