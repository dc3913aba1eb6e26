package org.pfmeter.pf.sim;

import java.util.Map;
import org.pfmeter.pf.model.LabelKey;

/**
 * What the simulated pf really counted per (anchor, label) since it started, and what it discarded
 * before anyone read it (counters reset by a reload, zeroing or restart while they held packets and
 * bytes no DIOCGETRULE had returned yet). A reset-safe accountant that polls the simulator must
 * arrive at exactly {@link Totals#observable()} per label.
 *
 * <p>Two assumptions make "observable" exact: every value a DIOCGETRULE returned was accounted (a
 * walk a reader abandons after EBUSY is read again at once, so nothing changes in between), and the
 * accountant's first look is a baseline taken at the simulator's start, or counts from zero (which
 * is the same when {@link SimConfig#counterStart()} is 0). {@code counted} never includes the
 * configured counter start; packets and bytes are those of the rules' own counters (index 0 = in,
 * 1 = out), summed over the rules that carry the label.
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
