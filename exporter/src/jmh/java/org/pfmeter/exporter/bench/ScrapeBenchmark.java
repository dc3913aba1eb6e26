package org.pfmeter.exporter.bench;

import io.prometheus.client.Collector.MetricFamilySamples;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Gauge;
import io.prometheus.client.exporter.common.TextFormat;
import java.io.IOException;
import java.io.Writer;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.pfmeter.exporter.poll.Poller;
import org.pfmeter.exporter.poll.SnapshotHolder;
import org.pfmeter.exporter.prometheus.PfMetrics;
import org.pfmeter.exporter.prometheus.SeriesLimits;
import org.pfmeter.pf.PfReader;
import org.pfmeter.pf.abi.AbiRelease;
import org.pfmeter.pf.model.PfSnapshot;
import org.pfmeter.pf.sim.SimClock;
import org.pfmeter.pf.sim.SimConfig;
import org.pfmeter.pf.sim.SimScale;
import org.pfmeter.pf.sim.SimulatedPf;

/**
 * Rendering {@code /metrics} (text format 0.0.4) for one poll of a large firewall (50,000 rules,
 * 5,000 labels, 1,000 tables, 256 interfaces, 64 queues), against a baseline in the same run that
 * renders exactly the same samples from plain simpleclient {@link Gauge} children set in advance.
 * Goal: {@code scrapePfmeter} within 1.2× of {@code baselineGauges}.
 *
 * <p>{@code scrapePfmeter} is what a scrape costs the daemon: pfmeter's collectors turn the pinned
 * snapshot into families (no ioctl: scrapes only read the last snapshot) and {@link TextFormat}
 * writes them. The baseline's registry is built from pfmeter's own output once, so it has the same
 * families, label sets, sample names and values. Counter families are Gauge children under the same
 * sample names in the baseline, because simpleclient's {@code Counter} adds a {@code _created} sample
 * to every child (only the {@code PROMETHEUS_DISABLE_CREATED_SERIES} environment variable turns that
 * off), which would double the baseline's samples; the text written differs only in the {@code # TYPE}
 * lines. Both write into the same reused buffer, as the HTTP handler writes into one stream.
 *
 * <p>On a machine whose CPU is shared with other work the two measurements, taken one after the
 * other, drift apart with the load. {@code interleaved} therefore renders both alternately in the
 * same invocation and reports the wall time of each ({@code pfmeterMs}, {@code baselineMs}, summed
 * over all measured iterations; per iteration in the "min, avg, max" lines): both see the same load,
 * and pfmeterMs / baselineMs is the ratio.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ScrapeBenchmark {

    /** A writer that keeps one buffer and empties it per scrape: no I/O, no growth after warm-up. */
    static final class Sink extends Writer {
        final StringBuilder text = new StringBuilder(1 << 24);

        @Override
        public void write(char[] cbuf, int off, int len) {
            text.append(cbuf, off, len);
        }

        @Override
        public void write(String str) {
            text.append(str);
        }

        @Override
        public void write(String str, int off, int len) {
            text.append(str, off, off + len);
        }

        @Override
        public void write(int c) {
            text.append((char) c);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    private CollectorRegistry pfmeter;
    private CollectorRegistry baseline;
    private final Sink sink = new Sink();

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        SimClock clock = SimClock.manual(Instant.parse("2026-11-02T12:00:00Z"));
        SimulatedPf sim = new SimulatedPf(new SimConfig(1, AbiRelease.V8_0, SimScale.LARGE), clock);
        sim.advance(Duration.ofMinutes(10));
        PfReader reader = new PfReader(sim, AbiRelease.V8_0, clock);
        PfSnapshot snapshot = reader.poll();
        if (!snapshot.complete()) {
            throw new IllegalStateException("the large simulated firewall did not poll cleanly: " + snapshot.errors());
        }
        Poller poller = new Poller(() -> snapshot, clock, Duration.ofSeconds(10), new SnapshotHolder());
        pfmeter = new CollectorRegistry(true);
        // the largest firewall fits the default caps (10,000 labels, 2,000 tables), so nothing is capped away
        PfMetrics.register(pfmeter, poller, clock, () -> Optional.of(clock.instant().minus(Duration.ofDays(3))),
                SeriesLimits.DEFAULT, new PfMetrics.Identity("bench", sim.describe(), "8.0"));
        poller.pollOnce();
        baseline = gaugesLike(Collections.list(pfmeter.metricFamilySamples()));

        int a = samples(pfmeter);
        int b = samples(baseline);
        if (a != b || a < 50_000) {
            throw new IllegalStateException("pfmeter renders " + a + " samples, the baseline " + b);
        }
        System.out.printf("%n%d families, %d samples, %d characters of text%n",
                Collections.list(pfmeter.metricFamilySamples()).size(), a, render(pfmeter));
    }

    /** One Gauge per family, one child per sample, set to the sample's value. */
    static CollectorRegistry gaugesLike(List<MetricFamilySamples> families) {
        CollectorRegistry r = new CollectorRegistry(true);
        for (MetricFamilySamples f : families) {
            // all samples of one of pfmeter's families share one name and label names
            MetricFamilySamples.Sample first = f.samples.get(0);
            Gauge g = Gauge.build().name(first.name).help(f.help).labelNames(first.labelNames.toArray(new String[0])).register(r);
            for (MetricFamilySamples.Sample s : f.samples) {
                if (!s.name.equals(first.name) || !s.labelNames.equals(first.labelNames)) {
                    throw new IllegalStateException(f.name + " mixes sample names or label names");
                }
                g.labels(s.labelValues.toArray(new String[0])).set(s.value);
            }
        }
        return r;
    }

    private static int samples(CollectorRegistry r) {
        int n = 0;
        for (MetricFamilySamples f : Collections.list(r.metricFamilySamples())) {
            n += f.samples.size();
        }
        return n;
    }

    private int render(CollectorRegistry r) throws IOException {
        sink.text.setLength(0);
        TextFormat.write004(sink, r.metricFamilySamples());
        return sink.text.length();
    }

    /** Wall time of the two halves of {@code interleaved}, per iteration. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Split {
        public double pfmeterMs;
        public double baselineMs;
        boolean pfmeterFirst;

        @Setup(Level.Iteration)
        public void clear() {
            pfmeterMs = 0;
            baselineMs = 0;
        }
    }

    @Benchmark
    public int interleaved(Split split) throws IOException {
        // alternate the order so that neither always runs in the other's garbage
        split.pfmeterFirst = !split.pfmeterFirst;
        long t0 = System.nanoTime();
        int n = render(split.pfmeterFirst ? pfmeter : baseline);
        long t1 = System.nanoTime();
        n += render(split.pfmeterFirst ? baseline : pfmeter);
        long t2 = System.nanoTime();
        split.pfmeterMs += (split.pfmeterFirst ? t1 - t0 : t2 - t1) / 1e6;
        split.baselineMs += (split.pfmeterFirst ? t2 - t1 : t1 - t0) / 1e6;
        return n;
    }

    @Benchmark
    public int scrapePfmeter() throws IOException {
        return render(pfmeter);
    }

    @Benchmark
    public int baselineGauges() throws IOException {
        return render(baseline);
    }
}
