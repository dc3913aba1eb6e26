package org.pfmeter.accounting.billing;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Optional;

/**
 * A billing report as JSON: exact figures as numbers (bytes and packets as integers, rates as bit/s)
 * and the same figures as text in the report's units under {@code "human"}.
 *
 * <pre>{@code
 * {"period":{"month":"2026-10","start":"2026-10-15T00:00+02:00","end":"2026-11-15T00:00+01:00",
 *   "zone":"Europe/Berlin","billing_day":15},
 *  "as_of":"2026-11-20T08:00:00Z","complete":true,"ended":true,"units":"si","slots":8940,"elapsed_slots":8940,
 *  "gap_threshold_seconds":3600,"coverage":{"ratio":1.0,"polled_slots":8940,"elapsed_slots":8940,"gaps":[]},
 *  "method":"95th percentile of 5-minute rates …","hosts":["fw1"],
 *  "customers":[{"customer":"ACME Corp","labels":["web-acme"],"bytes_in":…,"p95_bps":…,"human":{…}}],
 *  "labels":[{"label":"web-acme","anchor":"","name":"web-acme","customer":"ACME Corp","hosts":["fw1"],…}],
 *  "unassigned_labels":["ssh"]}
 * }</pre>
 */
public final class JsonReportWriter {

    private static final JsonFactory JSON = new JsonFactory();

    public void write(BillingReport r, Writer w) {
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeObjectFieldStart("period");
            g.writeStringField("month", r.period().name());
            g.writeStringField("start", r.period().startLocal().toOffsetDateTime().toString());
            g.writeStringField("end", r.period().endLocal().toOffsetDateTime().toString());
            g.writeStringField("zone", r.period().cycle().zone().getId());
            g.writeNumberField("billing_day", r.period().cycle().day());
            g.writeEndObject();
            g.writeStringField("as_of", r.asOf().toString());
            g.writeBooleanField("complete", r.complete());
            g.writeBooleanField("ended", r.ended());
            g.writeStringField("units", r.units().label());
            g.writeNumberField("slots", r.slots());
            g.writeNumberField("elapsed_slots", r.elapsedSlots());
            g.writeNumberField("gap_threshold_seconds", r.gapThreshold().getSeconds());
            coverage(g, r.coverage());
            g.writeStringField("method", BillingReport.METHOD);
            g.writeArrayFieldStart("hosts");
            for (String h : r.hosts()) {
                g.writeString(h);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("customers");
            for (BillingReport.CustomerLine c : r.customers()) {
                g.writeStartObject();
                g.writeStringField("customer", c.customer());
                g.writeArrayFieldStart("labels");
                for (var k : c.labels()) {
                    g.writeString(k.toString());
                }
                g.writeEndArray();
                usage(g, r.units(), c.usage(), c.projection());
                coverage(g, c.coverage());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("labels");
            for (BillingReport.LabelLine l : r.labels()) {
                g.writeStartObject();
                g.writeStringField("label", l.label().label());
                g.writeStringField("anchor", l.label().anchor());
                g.writeStringField("name", l.name());
                if (l.customer().isPresent()) {
                    g.writeStringField("customer", l.customer().get());
                } else {
                    g.writeNullField("customer");
                }
                g.writeArrayFieldStart("hosts");
                for (String h : l.hosts()) {
                    g.writeString(h);
                }
                g.writeEndArray();
                usage(g, r.units(), l.usage(), l.projection());
                coverage(g, l.coverage());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("unassigned_labels");
            for (var k : r.unassigned()) {
                g.writeString(k.toString());
            }
            g.writeEndArray();
            g.writeEndObject();
            g.flush();
            w.write('\n');
            w.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the JSON report", e);
        }
    }

    /** {@code "coverage":{"ratio":0.129,"polled_slots":1152,"elapsed_slots":8928,"gaps":[{"start":…,"end":…}]}}. */
    static void coverage(JsonGenerator g, Coverage c) throws IOException {
        g.writeObjectFieldStart("coverage");
        g.writeNumberField("ratio", c.ratio());
        g.writeNumberField("polled_slots", c.polledSlots());
        g.writeNumberField("elapsed_slots", c.elapsedSlots());
        g.writeArrayFieldStart("gaps");
        for (Coverage.Gap x : c.gaps()) {
            g.writeStartObject();
            g.writeStringField("start", x.start().toString());
            g.writeStringField("end", x.end().toString());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    static void usage(JsonGenerator g, Units units, Usage u, Optional<Projection> p) throws IOException {
        g.writeNumberField("bytes_in", u.bytesIn());
        g.writeNumberField("bytes_out", u.bytesOut());
        g.writeNumberField("bytes_total", u.bytesTotal());
        g.writeNumberField("packets_in", u.packetsIn());
        g.writeNumberField("packets_out", u.packetsOut());
        g.writeNumberField("packets_total", u.packetsTotal());
        g.writeNumberField("p95_in_bps", u.p95InBps());
        g.writeNumberField("p95_out_bps", u.p95OutBps());
        g.writeNumberField("p95_bps", u.p95Bps());
        g.writeNumberField("peak_in_bps", u.peakInBps());
        g.writeNumberField("peak_out_bps", u.peakOutBps());
        g.writeNumberField("peak_bps", u.peakBps());
        if (p.isPresent()) {
            g.writeObjectFieldStart("projection");
            g.writeNumberField("bytes_in", p.get().bytesIn());
            g.writeNumberField("bytes_out", p.get().bytesOut());
            g.writeNumberField("bytes_total", p.get().bytesTotal());
            g.writeNumberField("packets_in", p.get().packetsIn());
            g.writeNumberField("packets_out", p.get().packetsOut());
            g.writeNumberField("packets_total", p.get().packetsTotal());
            g.writeEndObject();
        } else {
            g.writeNullField("projection");
        }
        g.writeObjectFieldStart("human");
        g.writeStringField("volume_in", units.bytes(u.bytesIn()));
        g.writeStringField("volume_out", units.bytes(u.bytesOut()));
        g.writeStringField("volume_total", units.bytes(u.bytesTotal()));
        g.writeStringField("p95", units.bitsPerSecond(u.p95Bps()));
        g.writeStringField("peak", units.bitsPerSecond(u.peakBps()));
        if (p.isPresent()) {
            g.writeStringField("projected_volume_total", units.bytes(p.get().bytesTotal()));
        }
        g.writeEndObject();
    }
}
