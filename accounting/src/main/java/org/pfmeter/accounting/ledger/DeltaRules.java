package org.pfmeter.accounting.ledger;

import org.pfmeter.accounting.store.Counters;
import org.pfmeter.accounting.store.StoredCounters;
import java.time.Duration;
import java.time.Instant;
import org.pfmeter.pf.model.LabelKey;

/**
 * Turns a label's current raw counters and the stored previous ones into a delta: never negative,
 * never counted twice. Pure; the ledger calls it inside the transaction that stores both.
 *
 * <h2>The rules, in order</h2>
 * <ol>
 *   <li>First poll ever stored for the host: {@link Reset#BASELINE}, the delta is zero.</li>
 *   <li>No previous counters for the label: {@link Reset#NEW_LABEL}, the delta is the current value
 *       (its rules were loaded since the previous poll, their counters started at zero).</li>
 *   <li>A label of the main ruleset (anchor "") when {@code pf_chksum} changed:
 *       {@link Reset#RULESET_RELOADED}, the delta is the current value. The kernel recomputes
 *       {@code pf_chksum} only when it commits the main ruleset ({@code pf_commit_rules}: "if (rs ==
 *       &pf_main_ruleset) pf_calc_chksum(rs)"), and that commit replaces every main rule with a new
 *       one whose counters start at zero.</li>
 *   <li>The number of rules carrying the label changed: {@link Reset#RULES_CHANGED}, current value
 *       (its ruleset was replaced).</li>
 *   <li>Any of evaluations, packets in/out, bytes in/out went backwards: current value, reason
 *       {@link Reset#PF_RESTARTED} when {@code pf_status.since} changed too,
 *       {@link Reset#RULESET_RELOADED} when the checksum did, else {@link Reset#COUNTERS_BACKWARDS}
 *       ({@code pfctl -z}, an anchor reloaded on its own). "Backwards" is modular: the counters are
 *       unsigned 64-bit, so {@code current − previous} (mod 2^64) is a forward step, possibly across
 *       the 2^64 wrap, when it is at most {@link #MAX_PLAUSIBLE_PER_SECOND} per second since the
 *       previous poll (at least one second, at most 2^62); anything larger can only be a counter
 *       that restarted below its previous value.</li>
 *   <li>Otherwise current − previous (mod 2^64).</li>
 * </ol>
 *
 * <p>A changed checksum does not reset labels inside anchors, and a changed {@code since} alone
 * resets nothing: {@code pfctl -f} leaves anchors that pf.conf only references (loaded with
 * {@code pfctl -a NAME -f}) with their rules and counters, and {@code pfctl -d; pfctl -e}
 * ({@code DIOCSTOP}/{@code DIOCSTART}) sets {@code since} without touching any rule. Counting the
 * current value there would bill those labels twice. When such a ruleset was replaced after all, its
 * counters went back to zero and rule 5 sees it; the one case it cannot see is a label whose counters
 * at the previous poll were already smaller than what it counted in the short time between the reset
 * and this poll, and then at most that previous value (which is small) goes uncounted.
 *
 * <p>States: {@code statesCreated} is the change of the summed 32-bit {@code states_tot} counters,
 * modulo 2^32 (they wrap), or the current sum after a reset; {@code statesCur} is a gauge.
 */
public final class DeltaRules {

    /** The fastest a counter can plausibly grow: 2^40 per second (8.8 Tbit/s of bytes). */
    public static final long MAX_PLAUSIBLE_PER_SECOND = 1L << 40;

    /** Deltas and current values at or above this are not counted (no real counter gets there). */
    public static final long MAX_DELTA = 1L << 62;

    private DeltaRules() {
    }

    /**
     * @param previous the stored previous counters, or null when the label has none
     * @param now      when the current counters were read
     */
    public static LabelDelta delta(LabelKey key, Counters current, long statesCur, StoredCounters previous,
                                   HostChange host, Instant now) {
        if (host.firstObservation()) {
            return new LabelDelta(key, 0, 0, 0, 0, 0, 0, statesCur, Reset.BASELINE, "");
        }
        if (previous == null) {
            return currentValue(key, current, statesCur, Reset.NEW_LABEL, "new label");
        }
        Counters prev = previous.counters();
        if (key.anchor().isEmpty() && host.checksumChanged()) {
            return currentValue(key, current, statesCur, Reset.RULESET_RELOADED, "pf_chksum changed");
        }
        if (current.rules() != prev.rules()) {
            return currentValue(key, current, statesCur, Reset.RULES_CHANGED,
                    "rules carrying the label: " + prev.rules() + " -> " + current.rules());
        }
        long limit = plausibleStep(Duration.between(previous.polledAt(), now));
        long[] c = current.monotonic();
        long[] p = prev.monotonic();
        for (int i = 0; i < c.length; i++) {
            long d = c[i] - p[i];
            if (Long.compareUnsigned(d, limit) > 0) {
                Reset why = host.pfRestarted() ? Reset.PF_RESTARTED
                        : host.checksumChanged() ? Reset.RULESET_RELOADED : Reset.COUNTERS_BACKWARDS;
                return currentValue(key, current, statesCur, why, Counters.MONOTONIC_NAMES[i] + " "
                        + Long.toUnsignedString(p[i]) + " -> " + Long.toUnsignedString(c[i]));
            }
        }
        return new LabelDelta(key,
                current.evaluations() - prev.evaluations(),
                current.packetsIn() - prev.packetsIn(),
                current.packetsOut() - prev.packetsOut(),
                current.bytesIn() - prev.bytesIn(),
                current.bytesOut() - prev.bytesOut(),
                (current.statesTotal() - prev.statesTotal()) & 0xffff_ffffL,
                statesCur, Reset.NONE, "");
    }

    /** The largest forward step a counter can make in {@code elapsed}: 2^40 per second, 1 s to 2^62. */
    static long plausibleStep(Duration elapsed) {
        long seconds = Math.max(1, elapsed.getSeconds() + (elapsed.getNano() > 0 ? 1 : 0));
        if (seconds >= MAX_DELTA / MAX_PLAUSIBLE_PER_SECOND) {
            return MAX_DELTA - 1;
        }
        return seconds * MAX_PLAUSIBLE_PER_SECOND;
    }

    private static LabelDelta currentValue(LabelKey key, Counters c, long statesCur, Reset why, String detail) {
        StringBuilder notCounted = new StringBuilder();
        long[] v = {c.evaluations(), c.packetsIn(), c.packetsOut(), c.bytesIn(), c.bytesOut(), c.statesTotal()};
        for (int i = 0; i < v.length; i++) {
            if (Long.compareUnsigned(v[i], MAX_DELTA) >= 0) {
                notCounted.append(notCounted.length() == 0 ? "; not counted (implausible): " : ", ")
                        .append(i < 5 ? Counters.MONOTONIC_NAMES[i] : "states total").append(' ')
                        .append(Long.toUnsignedString(v[i]));
                v[i] = 0;
            }
        }
        return new LabelDelta(key, v[0], v[1], v[2], v[3], v[4], v[5], statesCur, why, detail + notCounted);
    }
}
