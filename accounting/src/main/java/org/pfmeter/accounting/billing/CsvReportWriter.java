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
 * Projection columns are empty for a complete period. Text cells are safe against formula
 * injection (see {@link Csv}).
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
            "projected_volume_total", "units");

    public void write(BillingReport r, Writer w) {
        try {
            Csv.row(w, HEADER);
            for (BillingReport.CustomerLine c : r.customers()) {
                Csv.row(w, row(r, "customer", c.customer(), c.customer(), "", c.usage(), c.projection()));
            }
            for (BillingReport.LabelLine l : r.labels()) {
                Csv.row(w, row(r, "label", l.name(), l.customer().orElse(""), String.join(" ", l.hosts()), l.usage(),
                        l.projection()));
            }
            w.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the CSV report", e);
        }
    }

    private static List<String> row(BillingReport r, String kind, String name, String customer, String hosts, Usage u,
                                    Optional<Projection> p) {
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
        return c;
    }
}
