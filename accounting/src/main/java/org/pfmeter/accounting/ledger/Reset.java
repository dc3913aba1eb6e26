package org.pfmeter.accounting.ledger;

import java.util.Locale;

/** Why a label's delta is its current value (or zero) rather than current − previous. */
public enum Reset {
    /** current − previous: no reset. */
    NONE,
    /**
     * The first poll the ledger ever stored for the host: the counters become the baseline and count
     * nothing, so pfmeter never bills what passed before it was installed.
     */
    BASELINE,
    /** A label the host did not have at its previous poll: its rules are new, everything on them counts. */
    NEW_LABEL,
    /** A label of the main ruleset, and {@code pf_chksum} changed: the main ruleset was replaced. */
    RULESET_RELOADED,
    /** The number of rules carrying the label changed: its ruleset was replaced. */
    RULES_CHANGED,
    /** pf was restarted ({@code pf_status.since} changed). */
    PF_RESTARTED,
    /** A counter went backwards (more than a 64-bit wrap at a plausible rate explains): zeroed or reloaded. */
    COUNTERS_BACKWARDS,
    /**
     * A table's or a table entry's counters were cleared: its {@code tzero} changed ({@code pfctl -T
     * zero}, the table flushed and filled again, the entry deleted and added again, pf restarted).
     */
    COUNTERS_CLEARED;

    /** "ruleset-reloaded", … as stored in {@code ledger_event.kind}. */
    public String kind() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
