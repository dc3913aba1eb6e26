package org.pfmeter.exporter.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pfmeter.exporter.prometheus.CollectorsTest.collect;
import static org.pfmeter.exporter.prometheus.CollectorsTest.poll;
import static org.pfmeter.exporter.prometheus.CollectorsTest.samples;
import static org.pfmeter.exporter.prometheus.CollectorsTest.u;
import static org.pfmeter.exporter.prometheus.CollectorsTest.value;

import io.prometheus.client.Collector.MetricFamilySamples;
import io.prometheus.client.Collector.Type;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pfmeter.pf.abi.AbiRelease;
import org.pfmeter.pf.model.PfSnapshot;
import org.pfmeter.pf.model.SourceLimiter;
import org.pfmeter.pf.model.StateLimiter;
import org.pfmeter.pf.sim.SimConfig;

/** The limiter families against the simulated 8.0 pf, and their absence on 7.8. */
class LimitersCollectorsTest {

    @Test
    void everyStateLimiterFieldIsASeriesLabelledByIdAndName() {
        PfSnapshot s = poll(SimConfig.defaults());
        List<MetricFamilySamples> f = collect(s, SeriesLimits.DEFAULT);
        List<StateLimiter> limiters = s.stateLimiters().value().orElseThrow();
        assertThat(limiters).hasSize(3);
        for (StateLimiter l : limiters) {
            String[] key = {"id", Integer.toString(l.id()), "name", l.name()};
            assertThat(value(f, "pf_state_limiter_limit", key)).isEqualTo(u(l.limit()));
            assertThat(value(f, "pf_state_limiter_inuse", key)).isEqualTo(u(l.inuse()));
            assertThat(value(f, "pf_state_limiter_admitted_total", key)).isEqualTo(u(l.admitted())).isPositive();
            assertThat(value(f, "pf_state_limiter_hardlimited_total", key)).isEqualTo(u(l.hardlimited()));
            assertThat(value(f, "pf_state_limiter_ratelimited_total", key)).isEqualTo(u(l.ratelimited()));
            assertThat(value(f, "pf_state_limiter_rate_limit", key)).isEqualTo(u(l.rateLimit()));
            assertThat(value(f, "pf_state_limiter_rate_seconds", key)).isEqualTo(u(l.rateSeconds()));
        }
        MetricFamilySamples admitted = f.stream().filter(m -> m.name.equals("pf_state_limiter_admitted")).findFirst().orElseThrow();
        assertThat(admitted.type).isEqualTo(Type.COUNTER);
        assertThat(f.stream().filter(m -> m.name.equals("pf_state_limiter_inuse")).findFirst().orElseThrow().type)
                .isEqualTo(Type.GAUGE);
    }

    @Test
    void sourceLimitersCarryTheirCountersAndTheBusiestEntryButNoAddress() {
        PfSnapshot s = poll(SimConfig.defaults());
        List<MetricFamilySamples> f = collect(s, SeriesLimits.DEFAULT);
        for (SourceLimiter l : s.sourceLimiters().value().orElseThrow()) {
            String[] key = {"id", Integer.toString(l.id()), "name", l.name()};
            assertThat(value(f, "pf_source_limiter_nentries", key)).isEqualTo(u(l.nentries())).isPositive();
            assertThat(value(f, "pf_source_limiter_inuse", key)).isEqualTo(u(l.inuse()));
            assertThat(value(f, "pf_source_limiter_entries", key)).isEqualTo(u(l.entries()));
            assertThat(value(f, "pf_source_limiter_limit", key)).isEqualTo(u(l.limit()));
            assertThat(value(f, "pf_source_limiter_entry_inuse_max", key))
                    .isEqualTo(u(l.sources().top().get(0).inuse())).isLessThanOrEqualTo(u(l.limit()));
            assertThat(value(f, "pf_source_limiter_admitted_total", key)).isEqualTo(u(l.admitted()));
            assertThat(value(f, "pf_source_limiter_addrlimited_total", key)).isEqualTo(u(l.addrlimited()));
            assertThat(value(f, "pf_source_limiter_addrallocs_total", key)).isEqualTo(u(l.addrallocs()));
            assertThat(value(f, "pf_source_limiter_addrnomem_total", key)).isEqualTo(u(l.addrnomem()));
            assertThat(value(f, "pf_source_limiter_hardlimited_total", key)).isEqualTo(u(l.hardlimited()));
            assertThat(value(f, "pf_source_limiter_ratelimited_total", key)).isEqualTo(u(l.ratelimited()));
        }
        assertThat(f.stream().filter(m -> m.name.startsWith("pf_source_limiter") || m.name.startsWith("pf_state_limiter"))
                .flatMap(m -> m.samples.stream())).allSatisfy(x -> {
                    assertThat(x.labelNames).containsExactly("id", "name");
                    assertThat(x.labelValues.get(1)).doesNotContain(".", ":");
                });
    }

    @Test
    void onSevenEightTheLimitersAreNotPresentAndHaveNoSamples() {
        PfSnapshot s = poll(SimConfig.defaults().withRelease(AbiRelease.V7_8));
        List<MetricFamilySamples> f = collect(s, SeriesLimits.DEFAULT);
        assertThat(samples(f, "pf_state_limiter_inuse")).isEmpty();
        assertThat(samples(f, "pf_source_limiter_admitted_total")).isEmpty();
        assertThat(value(f, "pfmeter_subsystem_present", "subsystem", "state_limiters")).isZero();
        assertThat(value(f, "pfmeter_subsystem_present", "subsystem", "source_limiters")).isZero();
        assertThat(samples(f, "pfmeter_subsystem_up").stream().map(x -> x.labelValues.get(0)))
                .doesNotContain("state_limiters", "source_limiters");
        PfSnapshot n = poll(SimConfig.defaults());
        assertThat(value(collect(n, SeriesLimits.DEFAULT), "pfmeter_subsystem_up", "subsystem", "source_limiters")).isEqualTo(1);
    }
}
