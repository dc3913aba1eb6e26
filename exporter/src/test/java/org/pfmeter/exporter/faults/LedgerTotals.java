package org.pfmeter.exporter.faults;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.pfmeter.accounting.simulate.MonthSimulation;
import org.pfmeter.accounting.store.AccountingStore;
import org.pfmeter.pf.model.LabelKey;
import org.pfmeter.pf.sim.GroundTruth;

/** What the daemon's ledger stored per label, and how it compares with the simulator's ground truth. */
final class LedgerTotals {

    private LedgerTotals() {
    }

    /** Packets and bytes the ledger stored for {@code host}, summed over every 5-minute bucket. */
    static Map<LabelKey, GroundTruth.Counts> stored(AccountingStore store, String host) {
        // closed buckets (usage_5m) and the open ones (the journal)
        return MonthSimulation.storedTotals(store, host, Instant.EPOCH, Instant.parse("9999-01-01T00:00:00Z"));
    }

    /**
     * What a perfect reader counted between the baseline poll ({@code atBaseline}, the ground truth
     * just before the daemon's first poll: the ledger books that poll as a zero baseline) and now.
     */
    static Map<LabelKey, GroundTruth.Counts> expected(GroundTruth atBaseline, GroundTruth now) {
        Map<LabelKey, GroundTruth.Counts> m = new TreeMap<>();
        for (Map.Entry<LabelKey, GroundTruth.Totals> e : now.labels().entrySet()) {
            GroundTruth.Totals before = atBaseline.labels().get(e.getKey());
            m.put(e.getKey(), e.getValue().observable().minus(before == null ? GroundTruth.Counts.ZERO : before.observable()));
        }
        return m;
    }

    /** One line per label whose stored totals differ from the expected ones (empty: equal to the byte). */
    static List<String> differences(Map<LabelKey, GroundTruth.Counts> expected, Map<LabelKey, GroundTruth.Counts> stored) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<LabelKey, GroundTruth.Counts> e : expected.entrySet()) {
            GroundTruth.Counts s = stored.getOrDefault(e.getKey(), GroundTruth.Counts.ZERO);
            if (!s.equals(e.getValue())) {
                out.add(e.getKey() + ": ground truth " + e.getValue() + ", ledger " + s);
            }
        }
        for (LabelKey k : stored.keySet()) {
            if (!expected.containsKey(k)) {
                out.add(k + ": in the ledger but not in the ground truth");
            }
        }
        return out;
    }

    static long bytes(Map<LabelKey, GroundTruth.Counts> m) {
        return m.values().stream().mapToLong(c -> c.bytesIn() + c.bytesOut()).sum();
    }
}
