package org.pfmeter.accounting.ledger;

import org.pfmeter.pf.model.LabelKey;

/**
 * What one poll adds to a label. Every value is non-negative and below 2^62.
 *
 * @param statesCreated states the label's rules created since the previous poll
 * @param statesCur     states the label's rules hold now (a gauge, not a delta)
 * @param reset         why the delta is not current − previous, or {@link Reset#NONE}
 * @param detail        for a reset, which counter showed it and how (for the audit trail); else ""
 */
public record LabelDelta(
        LabelKey key,
        long evaluations,
        long packetsIn,
        long packetsOut,
        long bytesIn,
        long bytesOut,
        long statesCreated,
        long statesCur,
        Reset reset,
        String detail) {

    /** True when nothing moved: no row needs writing. */
    public boolean isZero() {
        return evaluations == 0 && packetsIn == 0 && packetsOut == 0 && bytesIn == 0 && bytesOut == 0
                && statesCreated == 0 && statesCur == 0;
    }
}
