package org.pfmeter.accounting.billing;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.pfmeter.accounting.store.AccountingStore;
import org.pfmeter.accounting.store.SlotGrid;
import org.pfmeter.accounting.store.SqlUsageSource;
import org.pfmeter.pf.model.LabelKey;

/**
 * The raw 5-minute samples behind a bill, so that a customer can check it: one sample for every
 * 5-minute slot of the billing month that has started, for one label or for all the labels of one
 * customer added up, each marked whether it has data ({@link Sample#hasData}: a polled slot without
 * traffic is a zero, a slot nobody polled is a gap). Sorting the {@code bytes_in} (or
 * {@code bytes_out}) of the n samples with data, dropping the top {@code floor(n/20)} and taking the
 * highest remaining times 8 / {@link SlotGrid#SECONDS} gives the bill's 95th percentile in bit/s.
 */
public final class UsageExport {

    /**
     * One 5-minute slot.
     *
     * @param hasData the slot has data: every host of the subject's labels that was polled in the
     *                period was polled in it, or traffic was booked in it. Only these samples enter
     *                the 95th percentile; a slot without data is a gap, not a zero.
     */
    public record Sample(Instant slotStart, long packetsIn, long packetsOut, long bytesIn, long bytesOut, boolean hasData) {
        public double rateInBps() {
            return Percentiles.bitsPerSecond(bytesIn);
        }

        public double rateOutBps() {
            return Percentiles.bitsPerSecond(bytesOut);
        }
    }

    /**
     * @param subject the label's qualified name or the customer's name
     * @param labels  the labels added up
     */
    public record Samples(BillingPeriod period, String subject, List<LabelKey> labels, Optional<String> host, Instant asOf,
                          List<Sample> samples) {
        public Samples {
            labels = List.copyOf(labels);
            samples = List.copyOf(samples);
        }

        /** The subject's coverage, as its line in the billing report has it. */
        public Coverage coverage(Duration gapThreshold) {
            BitSet data = new BitSet(samples.size());
            for (int i = 0; i < samples.size(); i++) {
                data.set(i, samples.get(i).hasData());
            }
            int n = samples.size();
            boolean inProgress = n > 0 && SlotGrid.end(samples.get(n - 1).slotStart()).isAfter(asOf);
            long first = SlotGrid.ceil(period.start());
            return BillingReports.coverage(data, first, n, inProgress, gapThreshold);
        }
    }

    private static final JsonFactory JSON = new JsonFactory();

    private final UsageSource source;
    private final CustomerMapping mapping;
    private final Clock clock;

    /** Exports from the accounting database ({@link SqlUsageSource}). */
    public UsageExport(AccountingStore store, CustomerMapping mapping, Clock clock) {
        this(new SqlUsageSource(Objects.requireNonNull(store, "store")), mapping, clock);
    }

    public UsageExport(UsageSource source, CustomerMapping mapping, Clock clock) {
        this.source = Objects.requireNonNull(source, "source");
        this.mapping = Objects.requireNonNull(mapping, "mapping");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * @param label a qualified label name ({@code label} or {@code anchor:label}, read by {@link LabelKey#parse})
     * @throws UnknownLabelException when the database has no such label (or host)
     */
    public Samples forLabel(BillingPeriod period, Optional<String> host, String label) {
        return samples(period, host, label, r -> BillingReports.scope(r, CustomerMapping.empty(), host, List.of(label),
                Optional.empty()));
    }

    /** All the labels the customer mapping gives {@code customer}, added up slot by slot. */
    public Samples forCustomer(BillingPeriod period, Optional<String> host, String customer) {
        return samples(period, host, customer, r -> BillingReports.scope(r, mapping, host, List.of(), Optional.of(customer)));
    }

    private Samples samples(BillingPeriod period, Optional<String> host, String subject,
                            Function<UsageSource.Reading, BillingReports.Scope> scopeOf) {
        Instant asOf = clock.instant();
        if (asOf.isBefore(period.start())) {
            throw new IllegalArgumentException("billing month " + period.name() + " has not started yet: it starts "
                    + period.startLocal().toOffsetDateTime());
        }
        Instant limit = asOf.isBefore(period.end()) ? asOf : period.end();
        SlotData.Series sum = new SlotData.Series(period.start(), limit);
        long first = SlotGrid.ceil(period.start());
        List<LabelKey> labels = new ArrayList<>();
        BitSet data = source.read("read 5-minute usage for " + period.name(), r -> {
            labels.addAll(scopeOf.apply(r).labels.keySet());
            BillingReports.Polls polls = BillingReports.Polls.read(r, host);
            polls.requireDataBy(period, period.cycle());
            polls.readSlots(r, first, sum.slots());
            r.forEachLabel(period.start(), limit, host, labels, SlotData.collect(period.start(), limit, (k, s) -> sum.addAll(s)));
            return polls.customer(labels, sum);
        });
        List<Sample> out = new ArrayList<>();
        for (int i = 0; i < sum.slots(); i++) {
            long slot = SlotGrid.start(first, i);
            out.add(new Sample(Instant.ofEpochSecond(slot), sum.value(i, 0), sum.value(i, 1), sum.value(i, 2), sum.value(i, 3),
                    data.get(i)));
        }
        return new Samples(period, subject, labels, host, asOf, out);
    }

    /**
     * CSV: subject, slot_start (UTC), slot_start_local, bytes_in, bytes_out, packets_in, packets_out,
     * rate_in_bps, rate_out_bps, has_data.
     */
    public void writeCsv(Samples s, Writer w) {
        try {
            Csv.row(w, List.of("subject", "slot_start", "slot_start_local", "bytes_in", "bytes_out", "packets_in",
                    "packets_out", "rate_in_bps", "rate_out_bps", "has_data"));
            String subject = Csv.cell(s.subject());
            for (Sample x : s.samples()) {
                Csv.row(w, List.of(subject, x.slotStart().toString(),
                        x.slotStart().atZone(s.period().cycle().zone()).toOffsetDateTime().toString(),
                        Csv.number(x.bytesIn()), Csv.number(x.bytesOut()), Csv.number(x.packetsIn()),
                        Csv.number(x.packetsOut()), Csv.number(x.rateInBps()), Csv.number(x.rateOutBps()),
                        Boolean.toString(x.hasData())));
            }
            w.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the usage export", e);
        }
    }

    /** JSON: the subject, period and labels, then {@code "samples": [{"slot_start": …, "bytes_in": …}, …]}. */
    public void writeJson(Samples s, Writer w) {
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.writeStartObject();
            g.writeStringField("subject", s.subject());
            g.writeStringField("period", s.period().name());
            g.writeStringField("period_start", s.period().startLocal().toOffsetDateTime().toString());
            g.writeStringField("period_end", s.period().endLocal().toOffsetDateTime().toString());
            g.writeStringField("as_of", s.asOf().toString());
            if (s.host().isPresent()) {
                g.writeStringField("host", s.host().get());
            } else {
                g.writeNullField("host");
            }
            g.writeArrayFieldStart("labels");
            for (LabelKey k : s.labels()) {
                g.writeString(k.toString());
            }
            g.writeEndArray();
            g.writeNumberField("slot_seconds", SlotGrid.SECONDS);
            g.writeArrayFieldStart("samples");
            for (Sample x : s.samples()) {
                g.writeStartObject();
                g.writeStringField("slot_start", x.slotStart().toString());
                g.writeNumberField("bytes_in", x.bytesIn());
                g.writeNumberField("bytes_out", x.bytesOut());
                g.writeNumberField("packets_in", x.packetsIn());
                g.writeNumberField("packets_out", x.packetsOut());
                g.writeBooleanField("has_data", x.hasData());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            g.flush();
            w.write('\n');
            w.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the usage export", e);
        }
    }
}
