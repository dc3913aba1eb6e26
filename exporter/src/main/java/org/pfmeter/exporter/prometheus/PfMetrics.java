package org.pfmeter.exporter.prometheus;

import io.prometheus.client.Collector;
import io.prometheus.client.CollectorRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.pfmeter.exporter.poll.BootTime;
import org.pfmeter.exporter.poll.PollStats;
import org.pfmeter.exporter.poll.Poller;
import org.pfmeter.exporter.poll.SnapshotHolder;
import org.pfmeter.pf.model.PfSnapshot;

/**
 * The one public entry point of the Prometheus side: one collector per pf subsystem plus pfmeter's
 * own, registered into a registry the caller owns (never the default one).
 *
 * <p>A scrape pins the latest snapshot once and hands it to every subsystem collector, so every
 * value of one scrape comes from the same poll; a subsystem that failed in that poll contributes no
 * families (and {@code pfmeter_subsystem_up} says so) while the others are served.
 */
public final class PfMetrics extends Collector implements Collector.Describable {

    private final SnapshotHolder holder;
    private final Clock clock;
    private final BootTime bootTime;
    private final SeriesLimits limits;
    private final List<SubsystemCollector> collectors;

    private PfMetrics(SnapshotHolder holder, Clock clock, BootTime bootTime, SeriesLimits limits, SelfCollector self) {
        this.holder = holder;
        this.clock = clock;
        this.bootTime = bootTime;
        this.limits = limits;
        this.collectors = List.of(new StatusCollector(), new LimitsCollector(), new TimeoutsCollector(),
                new InterfacesCollector(), new LabelsCollector(), new TablesCollector(), new QueuesCollector(),
                new SourceNodesCollector(), new RulesCollector(), new StateLimitersCollector(), new SourceLimitersCollector(),
                new PfsyncCollector(), new TableAddressesCollector(), new DuplicateNamesCollector(), self);
    }

    /** What the build_info and source families say about this process. */
    public record Identity(String version, String device, String abiRelease) {
    }

    /**
     * Registers pfmeter's collector into {@code registry} and its series budget as a listener of
     * {@code poller}.
     */
    public static PfMetrics register(CollectorRegistry registry, Poller poller, Clock clock, BootTime bootTime,
                                     SeriesLimits limits, Identity identity) {
        SeriesBudget budget = new SeriesBudget(limits);
        poller.addListener(budget);
        poller.addListener(new org.pfmeter.exporter.poll.UniqueNames.Warner());
        SelfCollector self = new SelfCollector(identity.version(), identity.device(), identity.abiRelease(),
                poller.interval(), budget);
        PfMetrics m = new PfMetrics(poller.holder(), clock, bootTime, limits, self);
        registry.register(m);
        return m;
    }

    /** For tests: the families a scrape of {@code snapshot} would give, without a poller. */
    static List<MetricFamilySamples> collect(PfSnapshot snapshot, PollStats stats, Clock clock, Optional<java.time.Instant> boot,
                                             SeriesLimits limits) {
        SelfCollector self = new SelfCollector("test", "test", snapshot.abiRelease(), Duration.ofSeconds(10), new SeriesBudget(limits));
        PfMetrics m = new PfMetrics(new SnapshotHolder(), clock, () -> boot, limits, self);
        return m.collect(new Scrape(Optional.of(snapshot), stats, clock.instant(), boot, limits));
    }

    @Override
    public List<MetricFamilySamples> collect() {
        Optional<SnapshotHolder.Latest> latest = holder.latest();
        Scrape scrape = new Scrape(latest.map(SnapshotHolder.Latest::snapshot), latest.map(SnapshotHolder.Latest::stats)
                .orElse(PollStats.NONE), clock.instant(), bootTime.get(), limits);
        return collect(scrape);
    }

    /** Every family pfmeter can serve, without samples: lets the registry select families by name. */
    @Override
    public List<MetricFamilySamples> describe() {
        return collect(new Scrape(Optional.empty(), PollStats.NONE, clock.instant(), Optional.empty(), limits, true));
    }

    private List<MetricFamilySamples> collect(Scrape scrape) {
        List<MetricFamilySamples> out = new ArrayList<>();
        for (SubsystemCollector c : collectors) {
            out.addAll(c.collect(scrape));
        }
        return out;
    }
}
