package org.pfmeter.accounting.bills;

import java.time.Instant;
import java.util.BitSet;
import org.pfmeter.accounting.billing.BillingPeriod;
import org.pfmeter.accounting.billing.Percentiles;
import org.pfmeter.accounting.store.SeriesSlots;
import org.pfmeter.accounting.store.SlotGrid;

/**
 * A bill's figures for one period from its 5-minute sums. The samples of the 95th percentile are
 * the intervals in which a poll was stored (an interval without traffic is a sample of 0, one nobody
 * polled no sample), as the monthly report takes them ({@link Percentiles}).
 */
final class BillCalculator {

    private BillCalculator() {
    }

    static PeriodFigures figures(Bill bill, BillingPeriod period, SeriesSlots.Sums s, Instant asOf, boolean closed) {
        long bin = 0;
        long bout = 0;
        long pin = 0;
        long pout = 0;
        BitSet samples = (BitSet) s.polled().clone();
        for (int i = 0; i < s.slots(); i++) {
            bin += s.bytesIn()[i];
            bout += s.bytesOut()[i];
            pin += s.packetsIn()[i];
            pout += s.packetsOut()[i];
            if (s.bytesIn()[i] != 0 || s.bytesOut()[i] != 0) {
                samples.set(i);     // traffic is a sample even if its poll slot was not stored
            }
        }
        int n = samples.cardinality();
        long p95 = 0;
        int above = 0;
        if (bill.type() instanceof BillType.Percentile95 p && n > 0) {
            long[] in = new long[n];
            long[] out = new long[n];
            long[] sum = new long[n];
            int j = 0;
            for (int i = samples.nextSetBit(0); i >= 0; i = samples.nextSetBit(i + 1), j++) {
                in[j] = s.bytesIn()[i];
                out[j] = s.bytesOut()[i];
                sum[j] = in[j] + out[j];
            }
            switch (p.direction()) {
                case IN -> {
                    p95 = Percentiles.p95(in, n);
                    above = above(in, p.commitBitsPerSecond());
                }
                case OUT -> {
                    p95 = Percentiles.p95(out, n);
                    above = above(out, p.commitBitsPerSecond());
                }
                case AGGREGATE -> {
                    p95 = Percentiles.p95(sum, n);
                    above = above(sum, p.commitBitsPerSecond());
                }
                case MAX -> {
                    p95 = Math.max(Percentiles.p95(in, n), Percentiles.p95(out, n));
                    above = Math.max(above(in, p.commitBitsPerSecond()), above(out, p.commitBitsPerSecond()));
                }
                default -> throw new IllegalStateException(p.direction().name());
            }
        }
        Instant at = closed ? period.end() : asOf;
        return new PeriodFigures(bill.name(), period.name(), period.start(), period.end(), at, closed, false, bill.type(),
                bin, bout, pin, pout, n, SlotGrid.count(period.start(), period.end()), p95, above);
    }

    private static int above(long[] v, long commit) {
        int n = 0;
        for (long x : v) {
            if (PeriodFigures.aboveCommit(x, commit)) {
                n++;
            }
        }
        return n;
    }
}
