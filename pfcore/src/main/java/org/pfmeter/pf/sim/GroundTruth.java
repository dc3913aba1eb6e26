package org.pfmeter.pf.sim;

import java.util.Map;
import org.pfmeter.pf.model.LabelKey;

/**
 * What the simulated pf really counted per (anchor, label) since it started, and what it discarded
 * before anyone read it (counters reset by a reload or zeroing while they held bytes no DIOCGETRULE had
 * returned yet). A reset-safe accountant that polls the simulator must arrive at exactly
 * {@link Totals#observable()} per label.
 */
public record GroundTruth(Map<LabelKey, Totals> labels) {

    public GroundTruth {
        labels = Map.copyOf(labels);
    }

    /** Cumulative packets and bytes by direction. */
    public record Counts(long packetsIn, long packetsOut, long bytesIn, long bytesOut) {
        public static final Counts ZERO = new Counts(0, 0, 0, 0);

        public Counts plus(Counts o) {
            return new Counts(packetsIn + o.packetsIn, packetsOut + o.packetsOut, bytesIn + o.bytesIn, bytesOut + o.bytesOut);
        }

        public Counts minus(Counts o) {
            return new Counts(packetsIn - o.packetsIn, packetsOut - o.packetsOut, bytesIn - o.bytesIn, bytesOut - o.bytesOut);
        }
    }

    /**
     * @param counted   everything the traffic model put on the label's rules
     * @param discarded the part of it that a reset wiped before any rule read returned it
     */
    public record Totals(Counts counted, Counts discarded) {
        /** What a perfect reader could have seen: counted − discarded. */
        public Counts observable() {
            return counted.minus(discarded);
        }
    }
}
