package org.pfmeter.exporter.jmx;

import java.util.LinkedHashMap;
import java.util.Map;
import org.pfmeter.pf.model.KernelCounters;

final class Maps {

    private Maps() {
    }

    /** Counters keyed by the kernel's names, in kernel order. */
    static Map<String, java.math.BigInteger> byKernelName(KernelCounters c) {
        Map<String, java.math.BigInteger> m = new LinkedHashMap<>();
        for (KernelCounters.Entry e : c.entries()) {
            m.put(e.name().kernelName(), unsigned(e.value()));
        }
        return m;
    }

    private static final java.math.BigInteger TWO_TO_64 = java.math.BigInteger.ONE.shiftLeft(64);

    /**
     * A pf counter as JMX shows it: pf's counters are unsigned 64-bit, and an MXBean long would show
     * values above 2^63 as negative, so 64-bit counters are BigInteger attributes.
     */
    static java.math.BigInteger unsigned(long v) {
        java.math.BigInteger b = java.math.BigInteger.valueOf(v);
        return v >= 0 ? b : b.add(TWO_TO_64);
    }
}
