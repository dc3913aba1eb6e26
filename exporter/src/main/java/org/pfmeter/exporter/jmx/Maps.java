package org.pfmeter.exporter.jmx;

import java.util.LinkedHashMap;
import java.util.Map;
import org.pfmeter.pf.model.EnumCounters;
import org.pfmeter.pf.model.KernelName;

final class Maps {

    private Maps() {
    }

    /** Counters keyed by the kernel's names, in kernel order. */
    static <E extends Enum<E> & KernelName> Map<String, Long> byKernelName(EnumCounters<E> c) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (E e : c.type().getEnumConstants()) {
            m.put(e.kernelName(), c.get(e));
        }
        return m;
    }
}
