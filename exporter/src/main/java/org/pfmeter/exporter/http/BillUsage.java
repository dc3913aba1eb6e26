package org.pfmeter.exporter.http;

import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.pfmeter.accounting.billing.BillingPeriod;
import org.pfmeter.accounting.billing.Csv;
import org.pfmeter.accounting.billing.Percentiles;
import org.pfmeter.accounting.bills.Bill;
import org.pfmeter.accounting.bills.Bills;
import org.pfmeter.accounting.store.SeriesSlots;
import org.pfmeter.accounting.store.SlotGrid;

/**
 * The usage export of one bill for one period: its 5-minute sums (every member added up, every host)
 * up to the figures' instant, what its 95th percentile and totals are computed from. Served at
 * {@code /billing/api/bills/NAME/usage} and drawn by the bill's page.
 *
 * @param slotStart epoch seconds of each interval's start
 * @param polled    the interval has data (a poll was stored in it); one without is a gap, not a zero
 */
record BillUsage(Bill bill, BillingPeriod period, Instant asOf, long[] slotStart, long[] bytesIn, long[] bytesOut,
                 long[] packetsIn, long[] packetsOut, boolean[] polled) {

    /** The intervals of {@code p} that start before {@code asOf}. */
    static BillUsage of(Bills bills, Bill bill, BillingPeriod p, Instant asOf) {
        SeriesSlots.Sums s = bills.sums(bill, p);
        List<Integer> keep = new ArrayList<>();
        for (int i = 0; i < s.slots(); i++) {
            if (SlotGrid.start(s.first(), i) < asOf.getEpochSecond()) {
                keep.add(i);
            }
        }
        int n = keep.size();
        long[] t = new long[n];
        long[] bi = new long[n];
        long[] bo = new long[n];
        long[] pi = new long[n];
        long[] po = new long[n];
        boolean[] d = new boolean[n];
        for (int j = 0; j < n; j++) {
            int i = keep.get(j);
            t[j] = SlotGrid.start(s.first(), i);
            bi[j] = s.bytesIn()[i];
            bo[j] = s.bytesOut()[i];
            pi[j] = s.packetsIn()[i];
            po[j] = s.packetsOut()[i];
            d[j] = s.polled().get(i);
        }
        return new BillUsage(bill, p, asOf, t, bi, bo, pi, po, d);
    }

    /** CSV: bill, slot_start (UTC), slot_start_local (the bill's zone), bytes, packets, rates, has_data, as {@code pfmeter usage}. */
    void csv(Writer w) throws IOException {
        w.write("bill,slot_start,slot_start_local,bytes_in,bytes_out,packets_in,packets_out,rate_in_bps,rate_out_bps,has_data\r\n");
        String name = Csv.cell(bill.name());
        for (int i = 0; i < slotStart.length; i++) {
            Instant t = Instant.ofEpochSecond(slotStart[i]);
            w.write(String.join(",", name, t.toString(), t.atZone(period.cycle().zone()).toOffsetDateTime().toString(),
                    Csv.number(bytesIn[i]), Csv.number(bytesOut[i]), Csv.number(packetsIn[i]), Csv.number(packetsOut[i]),
                    Csv.number(Percentiles.bitsPerSecond(bytesIn[i])), Csv.number(Percentiles.bitsPerSecond(bytesOut[i])),
                    Boolean.toString(polled[i])));
            w.write("\r\n");
        }
    }

    /** JSON: the bill, period and instant, then {@code "samples": [{"slot_start": …, "bytes_in": …}, …]}. */
    void json(Writer w) throws IOException {
        StringBuilder s = new StringBuilder();
        s.append("{\"bill\":").append(BillingPages.jsonString(bill.name())).append(",\"period\":\"").append(period.name())
                .append("\",\"as_of\":\"").append(asOf).append("\",\"slot_seconds\":").append(SlotGrid.SECONDS).append(",\"samples\":[");
        for (int i = 0; i < slotStart.length; i++) {
            s.append(i == 0 ? "" : ",").append("{\"slot_start\":\"").append(Instant.ofEpochSecond(slotStart[i]))
                    .append("\",\"bytes_in\":").append(bytesIn[i]).append(",\"bytes_out\":").append(bytesOut[i])
                    .append(",\"packets_in\":").append(packetsIn[i]).append(",\"packets_out\":").append(packetsOut[i])
                    .append(",\"has_data\":").append(polled[i]).append('}');
        }
        s.append("]}\n");
        w.write(s.toString());
    }

    /**
     * What the page's chart draws, as a JSON data block: {@code t} (epoch seconds), {@code in} and
     * {@code out} (bytes per interval, null for a gap). Numbers and null only, so nothing in it can
     * end the {@code <script type="application/json">} element it is embedded in.
     */
    String chartData() {
        StringBuilder s = new StringBuilder(slotStart.length * 30);
        s.append("{\"slot_seconds\":").append(SlotGrid.SECONDS).append(",\"t\":[");
        for (int i = 0; i < slotStart.length; i++) {
            s.append(i == 0 ? "" : ",").append(slotStart[i]);
        }
        s.append("],\"in\":[");
        for (int i = 0; i < slotStart.length; i++) {
            s.append(i == 0 ? "" : ",").append(polled[i] ? Long.toString(bytesIn[i]) : "null");
        }
        s.append("],\"out\":[");
        for (int i = 0; i < slotStart.length; i++) {
            s.append(i == 0 ? "" : ",").append(polled[i] ? Long.toString(bytesOut[i]) : "null");
        }
        s.append("]}");
        return s.toString();
    }
}
