package org.pfmeter.accounting.store;

import org.pfmeter.pf.model.LabelCounters;

/**
 * The raw counters of one (anchor, label) as pf reported them: unsigned 64-bit values held in
 * {@code long} (compare with {@link Long#compareUnsigned}, print with {@link Long#toUnsignedString}).
 * {@code statesTotal} is a sum of the kernel's 32-bit {@code states_tot} per rule.
 *
 * @param rules how many rules carry the label (a change means the ruleset was replaced)
 */
public record Counters(
        int rules,
        long evaluations,
        long packetsIn,
        long packetsOut,
        long bytesIn,
        long bytesOut,
        long statesTotal) {

    public static Counters of(LabelCounters l) {
        return new Counters(l.rules(), l.evaluations(), l.packetsIn(), l.packetsOut(), l.bytesIn(), l.bytesOut(), l.statesTotal());
    }

    /** The counters that only ever grow until pf resets them, in a fixed order. */
    public long[] monotonic() {
        return new long[] {evaluations, packetsIn, packetsOut, bytesIn, bytesOut};
    }

    public static final String[] MONOTONIC_NAMES = {"evaluations", "packets in", "packets out", "bytes in", "bytes out"};

    @Override
    public String toString() {
        return "Counters[rules=" + rules + ", evaluations=" + Long.toUnsignedString(evaluations)
                + ", packetsIn=" + Long.toUnsignedString(packetsIn) + ", packetsOut=" + Long.toUnsignedString(packetsOut)
                + ", bytesIn=" + Long.toUnsignedString(bytesIn) + ", bytesOut=" + Long.toUnsignedString(bytesOut)
                + ", statesTotal=" + Long.toUnsignedString(statesTotal) + "]";
    }
}
