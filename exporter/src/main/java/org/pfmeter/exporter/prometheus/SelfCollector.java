package org.pfmeter.exporter.prometheus;

import io.prometheus.client.Collector.MetricFamilySamples;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.pfmeter.exporter.poll.PollStats;
import org.pfmeter.pf.model.Subsystem;

/**
 * pfmeter's own health: build, polls, errors, the snapshot's age, what each subsystem did in the
 * last poll, and the series left out by the cardinality caps.
 *
 * <pre>
 * pfmeter_build_info{version="0.1.0",abi_release="8.0",device="/dev/pf"} 1.0
 * pfmeter_snapshot_age_seconds 3.2
 * pfmeter_subsystem_up{subsystem="rules"} 0.0
 * pfmeter_poll_errors_total{subsystem="rules"} 4.0
 * pfmeter_series_dropped_total{subsystem="labels"} 0.0
 * </pre>
 */
final class SelfCollector implements SubsystemCollector {

    static final String BUILD_INFO = "pfmeter_build_info";
    static final String POLL_INTERVAL = "pfmeter_poll_interval_seconds";
    static final String POLLS = "pfmeter_polls_total";
    static final String SUCCESSFUL_POLLS = "pfmeter_successful_polls_total";
    static final String POLL_DURATION = "pfmeter_poll_duration_seconds";
    static final String POLL_ALLOCATED = "pfmeter_poll_allocated_bytes";
    static final String LAST_POLL = "pfmeter_last_poll_timestamp_seconds";
    static final String LAST_SUCCESS = "pfmeter_last_successful_poll_timestamp_seconds";
    static final String AGE = "pfmeter_snapshot_age_seconds";
    static final String ERRORS = "pfmeter_poll_errors_total";
    static final String SUBSYSTEM_UP = "pfmeter_subsystem_up";
    static final String SUBSYSTEM_PRESENT = "pfmeter_subsystem_present";
    static final String DROPPED = "pfmeter_series_dropped_total";
    static final String OMITTED = "pfmeter_series_omitted";
    static final String SERIES_LIMIT = "pfmeter_series_limit";

    private final String version;
    private final String device;
    private final String abiRelease;
    private final Duration interval;
    private final SeriesBudget budget;

    SelfCollector(String version, String device, String abiRelease, Duration interval, SeriesBudget budget) {
        this.version = version;
        this.device = device;
        this.abiRelease = abiRelease;
        this.interval = interval;
        this.budget = budget;
    }

    @Override
    public List<MetricFamilySamples> collect(Scrape scrape) {
        Families f = new Families();
        PollStats st = scrape.stats();
        f.gauge(BUILD_INFO, "pfmeter's version, the pf ABI release it reads and the device; always 1", "version", "abi_release", "device")
                .addMetric(List.of(version, abiRelease, device), 1);
        f.gauge(POLL_INTERVAL, "Configured time between polls").addMetric(List.of(), interval.toMillis() / 1000.0);
        f.counter(POLLS, "Polls done since start").addMetric(List.of(), st.polls());
        f.counter(SUCCESSFUL_POLLS, "Polls in which pf answered at least one subsystem").addMetric(List.of(), st.successfulPolls());
        Family errors = f.counter(ERRORS, "Polls in which the subsystem could not be read", "subsystem");
        for (Map.Entry<Subsystem, Long> e : st.errors().entrySet()) {
            errors.addMetric(List.of(e.getKey().label()), e.getValue());
        }
        Family duration = f.gauge(POLL_DURATION, "How long the last poll took");
        Family allocated = f.gauge(POLL_ALLOCATED, "Bytes the JVM allocated on the polling thread to read and decode the last snapshot");
        Family lastPoll = f.gauge(LAST_POLL, "Unix time the last poll started");
        Family lastSuccess = f.gauge(LAST_SUCCESS, "Unix time the last poll in which pf answered at least one subsystem started");
        Family age = f.gauge(AGE, "Age of the snapshot this scrape serves");
        Family up = f.gauge(SUBSYSTEM_UP, "1 when the subsystem was read in the snapshot served, 0 when it failed; "
                + "absent for a subsystem this kernel does not have", "subsystem");
        Family present = f.gauge(SUBSYSTEM_PRESENT, "1 when this kernel has the subsystem, 0 when it does not "
                + "(state limiters before 7.9, pfsync not configured)", "subsystem");
        st.lastPollAt().ifPresent(t -> {
            duration.addMetric(List.of(), st.lastPollDuration().toNanos() / 1e9);
            st.lastPollAllocatedBytes().ifPresent(b -> allocated.addMetric(List.of(), b));
            lastPoll.addMetric(List.of(), seconds(t));
        });
        st.lastSuccessAt().ifPresent(t -> lastSuccess.addMetric(List.of(), seconds(t)));
        scrape.snapshot().ifPresent(s -> {
            Duration a = Duration.between(s.takenAt(), scrape.now());
            age.addMetric(List.of(), Math.max(0, a.toNanos() / 1e9));
            for (Subsystem sub : Subsystem.values()) {
                boolean notPresent = s.result(sub).isNotPresent();
                present.addMetric(List.of(sub.label()), notPresent ? 0 : 1);
                if (!notPresent) {
                    up.addMetric(List.of(sub.label()), s.result(sub).isOk() ? 1 : 0);
                }
            }
        });
        Family dropped = f.counter(DROPPED, "Series left out by the cardinality caps, added up over polls", "subsystem");
        Family omitted = f.gauge(OMITTED, "Series left out by the cardinality caps in the snapshot served", "subsystem");
        Family limit = f.gauge(SERIES_LIMIT, "The cardinality cap (metrics.max-label-series, metrics.max-table-series, "
                + "metrics.max-rule-series)", "subsystem");
        dropped.addMetric(List.of("labels"), budget.droppedLabels());
        dropped.addMetric(List.of("tables"), budget.droppedTables());
        dropped.addMetric(List.of("source_nodes"), budget.droppedSourceNodeGroups());
        limit.addMetric(List.of("labels"), scrape.limits().maxLabels());
        limit.addMetric(List.of("tables"), scrape.limits().maxTables());
        limit.addMetric(List.of("source_nodes"), scrape.limits().maxLabels());
        if (scrape.limits().rules()) {
            dropped.addMetric(List.of("rules"), budget.droppedRules());
            limit.addMetric(List.of("rules"), scrape.limits().maxRules());
            scrape.snapshot().flatMap(s -> s.rules().value()).ifPresent(r -> omitted.addMetric(List.of("rules"),
                    Math.max(0, r.rules().size() - scrape.limits().maxRules())));
        }
        scrape.snapshot().flatMap(s -> s.sourceNodes().value()).ifPresent(n -> omitted.addMetric(List.of("source_nodes"),
                Math.max(0, n.groups().size() - scrape.limits().maxLabels())));
        scrape.snapshot().ifPresent(s -> {
            s.rules().value().ifPresent(r -> omitted.addMetric(List.of("labels"),
                    Math.max(0, r.labels().size() - scrape.limits().maxLabels())));
            s.tables().value().ifPresent(t -> omitted.addMetric(List.of("tables"),
                    Math.max(0, t.size() - scrape.limits().maxTables())));
        });
        return f.result(scrape);
    }

    private static double seconds(java.time.Instant t) {
        return t.getEpochSecond() + t.getNano() / 1e9;
    }
}
