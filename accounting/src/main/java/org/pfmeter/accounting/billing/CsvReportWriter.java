package org.pfmeter.accounting.billing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A billing report as one CSV table: a row per customer ({@code kind = customer}) then a row per
 * label ({@code kind = label}), with the period in every row so that rows can be pasted together.
 * Exact figures (bytes, packets, bit/s with 3 decimals) and human ones in the report's units.
 * Projection columns are empty for an ended period. Each row ends with its coverage: whether the
 * period has ended, the share of elapsed 5-minute slots with data, both slot counts, and the gaps
 * longer than the report's threshold ({@code start..end} in UTC, space-separated; empty when none).
 * {@code complete} is true only for an ended period whose every slot has data. Text cells are safe
 * against formula injection (see {@link Csv}).
 *
 * <pre>
 * kind,name,customer,hosts,period,period_start,period_end,complete,bytes_in,bytes_out,bytes_total,packets_in,…
 * customer,ACME Corp,ACME Corp,,2026-10,2026-10-01T00:00Z,2026-11-01T00:00Z,true,123,…
 * label,web-acme,ACME Corp,fw1,2026-10,…
 * </pre>
 */
public final class CsvReportWriter {

    public static final List<String> HEADER = List.of("kind", "name", "customer", "hosts", "period", "period_start",
            "period_end", "complete", "bytes_in", "bytes_out", "bytes_total", "packets_in", "packets_out", "packets_total",
            "p95_in_bps", "p95_out_bps", "p95_bps", "peak_in_bps", "peak_out_bps", "peak_bps", "volume_in", "volume_out",
            "volume_total", "p95", "peak", "projected_bytes_in", "projected_bytes_out", "projected_bytes_total",
            "projected_volume_total", "units", "ended", "coverage", "polled_slots", "elapsed_slots", "gaps");

    public void write(BillingReport r, Writer w) {
        try {
            Csv.row(w, HEADER);
            for (BillingReport.CustomerLine c : r.customers()) {
                Csv.row(w, row(r, "customer", c.customer(), c.customer(), "", c.usage(), c.coverage(), c.projection()));
            }
            for (BillingReport.LabelLine l : r.labels()) {
                Csv.row(w, row(r, "label", l.name(), l.customer().orElse(""), String.join(" ", l.hosts()), l.usage(),
                        l.coverage(), l.projection()));
            }
            w.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the CSV report", e);
        }
    }

    /** The share of elapsed slots with data, 6 decimals ("1.000000" when whole). */
    static String ratio(Coverage c) {
        return String.format(java.util.Locale.ROOT, "%.6f", c.ratio());
    }

    /** The gaps over the threshold, space-separated: {@code 2026-10-05T00:00Z..2026-11-01T00:00Z …}. */
    static String gaps(Coverage c) {
        List<String> g = new ArrayList<>();
        c.gaps().forEach(x -> g.add(x.toString()));
        return String.join(" ", g);
    }

    private static List<String> row(BillingReport r, String kind, String name, String customer, String hosts, Usage u,
                                    Coverage cov, Optional<Projection> p) {
        Units units = r.units();
        List<String> c = new ArrayList<>();
        c.add(kind);
        c.add(Csv.cell(name));
        c.add(Csv.cell(customer));
        c.add(Csv.cell(hosts));
        c.add(r.period().name());
        c.add(r.period().startLocal().toOffsetDateTime().toString());
        c.add(r.period().endLocal().toOffsetDateTime().toString());
        c.add(Boolean.toString(r.complete()));
        c.add(Csv.number(u.bytesIn()));
        c.add(Csv.number(u.bytesOut()));
        c.add(Csv.number(u.bytesTotal()));
        c.add(Csv.number(u.packetsIn()));
        c.add(Csv.number(u.packetsOut()));
        c.add(Csv.number(u.packetsTotal()));
        c.add(Csv.number(u.p95InBps()));
        c.add(Csv.number(u.p95OutBps()));
        c.add(Csv.number(u.p95Bps()));
        c.add(Csv.number(u.peakInBps()));
        c.add(Csv.number(u.peakOutBps()));
        c.add(Csv.number(u.peakBps()));
        c.add(Csv.cell(units.bytes(u.bytesIn())));
        c.add(Csv.cell(units.bytes(u.bytesOut())));
        c.add(Csv.cell(units.bytes(u.bytesTotal())));
        c.add(Csv.cell(units.bitsPerSecond(u.p95Bps())));
        c.add(Csv.cell(units.bitsPerSecond(u.peakBps())));
        c.add(p.map(x -> Csv.number(x.bytesIn())).orElse(""));
        c.add(p.map(x -> Csv.number(x.bytesOut())).orElse(""));
        c.add(p.map(x -> Csv.number(x.bytesTotal())).orElse(""));
        c.add(p.map(x -> Csv.cell(units.bytes(x.bytesTotal()))).orElse(""));
        c.add(units.label());
        c.add(Boolean.toString(r.ended()));
        c.add(ratio(cov));
        c.add(Csv.number(cov.polledSlots()));
        c.add(Csv.number(cov.elapsedSlots()));
        c.add(Csv.cell(gaps(cov)));
        return c;
    }
}
