package org.pfmeter.pf;

import java.util.OptionalLong;

/**
 * Holds FreeBSD's wall-clock {@code since} steady from poll to poll. The kernel computes it at every
 * call as {@code time_second - (time_uptime - since)}: both clocks count whole seconds and tick at
 * different instants, so the same pf start reads as X or X + 1 (never further apart: their difference
 * is the boot time, which moves only when the clock is stepped). The ledger takes any change of
 * {@code since} as a pf restart ({@code PollAccounting}), so this class reports the first value it saw
 * for as long as later ones stay within {@link #TOLERANCE_SECONDS} of it, and takes a value further
 * away as a new start.
 *
 * <p>A restart within a second of the previous start is missed (pf enabled, disabled and enabled
 * again inside one second); a clock step of more than a second reads as a restart, which adds a
 * "pf-restarted" event to the ledger but counts no traffic wrongly (deltas are decided by the
 * counters; a restart only names the reason of a reset). Uptime-based values (OpenBSD, older FreeBSD
 * revisions) are exact and are passed through unchanged. One instance per host, used by one reader.
 */
public final class SteadySince {

    /** How far apart two readings of the same start can be. */
    public static final long TOLERANCE_SECONDS = 1;

    private OptionalLong held = OptionalLong.empty();

    /** The value to report for a poll that read {@code raw}. */
    public synchronized long next(long raw) {
        if (held.isPresent() && Math.abs(raw - held.getAsLong()) <= TOLERANCE_SECONDS) {
            return held.getAsLong();
        }
        held = OptionalLong.of(raw);
        return raw;
    }
}
