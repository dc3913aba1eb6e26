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
 *
 * <p>Two collectors are registered: this one, whose families are a function of the poll alone
 * (the pf subsystems; see {@link #pin()}), so that the HTTP server may render them once per poll,
 * and pfmeter's own families ({@link SelfCollector}: the snapshot's age and the poller's counters),
 * which change between polls and are collected on every scrape.
 */
public final class PfMetrics extends Collector implements Collector.Describable {

    private final SnapshotHolder holder;
    private final Clock clock;
    private final BootTime bootTime;
    private final SeriesLimits limits;
    private final List<SubsystemCollector> collectors;
    private final SelfCollector self;

    private PfMetrics(SnapshotHolder holder, Clock clock, BootTime bootTime, SeriesLimits limits, SelfCollector self) {
        this.holder = holder;
        this.clock = clock;
        this.bootTime = bootTime;
        this.limits = limits;
        this.self = self;
        this.collectors = List.of(new StatusCollector(), new LimitsCollector(), new TimeoutsCollector(),
                new InterfacesCollector(), new LabelsCollector(), new TablesCollector(), new QueuesCollector(),
                new SourceNodesCollector(), new RulesCollector(), new StateLimitersCollector(), new SourceLimitersCollector(),
                new PfsyncCollector(), new TableAddressesCollector(), new DuplicateNamesCollector());
    }

    /**
     * What the pf families of a scrape are made of: one poll (compared by identity, a new one after
     * every poll) and the host's boot time. Two scrapes with equal pins get the same families.
     */
    public static final class Pin {
        private final SnapshotHolder.Latest latest;
        private final Optional<java.time.Instant> boot;

        private Pin(SnapshotHolder.Latest latest, Optional<java.time.Instant> boot) {
            this.latest = latest;
            this.boot = boot;
        }

        @Override
        public boolean equals(Object o) {
            // identity: comparing two snapshots field by field would cost what it saves
            return o instanceof Pin p && p.latest == latest && p.boot.equals(boot);
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(latest) * 31 + boot.hashCode();
        }
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
        registry.register(m.new Live());
        return m;
    }

    /** For tests: the families a scrape of {@code snapshot} would give, without a poller. */
    static List<MetricFamilySamples> collect(PfSnapshot snapshot, PollStats stats, Clock clock, Optional<java.time.Instant> boot,
                                             SeriesLimits limits) {
        SelfCollector self = new SelfCollector("test", "test", snapshot.abiRelease(), Duration.ofSeconds(10), new SeriesBudget(limits));
        PfMetrics m = new PfMetrics(new SnapshotHolder(), clock, () -> boot, limits, self);
        Scrape scrape = new Scrape(Optional.of(snapshot), stats, clock.instant(), boot, limits);
        List<MetricFamilySamples> out = m.collect(scrape);
        out.addAll(self.collect(scrape));
        return out;
    }

    /** The latest poll, pinned: the families {@link #collect(Pin)} gives for it never change. */
    public Pin pin() {
        return new Pin(holder.latest().orElse(null), bootTime.get());
    }

    /** The pf families of {@code pin}'s poll (pfmeter's own families are not among them). */
    public List<MetricFamilySamples> collect(Pin pin) {
        Optional<SnapshotHolder.Latest> latest = Optional.ofNullable(pin.latest);
        return collect(new Scrape(latest.map(SnapshotHolder.Latest::snapshot), latest.map(SnapshotHolder.Latest::stats)
                .orElse(PollStats.NONE), clock.instant(), pin.boot, limits));
    }

    /** The names of every family {@link #collect(Pin)} can give. */
    public java.util.Set<String> familyNames() {
        java.util.Set<String> names = new java.util.TreeSet<>();
        for (MetricFamilySamples f : describe()) {
            names.add(f.name);
        }
        return names;
    }

    @Override
    public List<MetricFamilySamples> collect() {
        return collect(pin());
    }

    /** Every pf family pfmeter can serve, without samples: lets the registry select families by name. */
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

    /** pfmeter's own families: the snapshot's age and the poller's counters change between polls. */
    private final class Live extends Collector implements Collector.Describable {

        @Override
        public List<MetricFamilySamples> collect() {
            Optional<SnapshotHolder.Latest> latest = holder.latest();
            return self.collect(new Scrape(latest.map(SnapshotHolder.Latest::snapshot), latest.map(SnapshotHolder.Latest::stats)
                    .orElse(PollStats.NONE), clock.instant(), bootTime.get(), limits));
        }

        @Override
        public List<MetricFamilySamples> describe() {
            return self.collect(new Scrape(Optional.empty(), PollStats.NONE, clock.instant(), Optional.empty(), limits, true));
        }
    }
}
