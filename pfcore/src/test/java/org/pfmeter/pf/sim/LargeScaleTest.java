package org.pfmeter.pf.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.pfmeter.pf.PfReader;
import org.pfmeter.pf.model.InterfaceCounters;
import org.pfmeter.pf.model.LabelCounters;
import org.pfmeter.pf.model.PfSnapshot;
import org.pfmeter.pf.model.QueueStats;
import org.pfmeter.pf.model.RuleCounters;

/**
 * A full poll of the LARGE firewall returns everything. How fast it builds and polls is measured by
 * the JMH {@code PollBenchmark}, not here: a time bound in a unit test fails on a loaded machine.
 */
class LargeScaleTest {

    @Test
    void aLargeFirewallPollsCompletely() {
        SimulatedPf sim = Sims.sim(SimConfig.defaults().withScale(SimScale.LARGE));

        sim.advance(Duration.ofHours(7));
        PfReader reader = Sims.reader(sim);
        reader.poll();                                    // warm up
        sim.advance(Duration.ofSeconds(10));
        PfSnapshot s = reader.poll();
        assertThat(s.errors()).isEmpty();

        assertThat(Sims.rules(s)).hasSize(SimScale.LARGE.rules());
        assertThat(s.labels().orElseThrow()).hasSize(SimScale.LARGE.labels());
        assertThat(Sims.tables(s)).hasSize(SimScale.LARGE.tables());
        assertThat(Sims.interfaces(s).stream().filter(i -> !i.group())).hasSize(SimScale.LARGE.interfaces());
        assertThat(Sims.interfaces(s).stream().filter(InterfaceCounters::group).map(InterfaceCounters::name))
                .containsExactly("all", "egress", "lo", "pflog", "vlan");
        assertThat(Sims.queues(s)).hasSize(SimScale.LARGE.queues());
        assertThat(Sims.queues(s).stream().filter(q -> q.kind() == QueueStats.Kind.FQ_CODEL)).hasSize(1);
        assertThat(s.rules().value().orElseThrow().anchors()).hasSize(403);    // main + 402 anchors
        // labels repeat across customer anchors: (anchor, label) keeps them apart
        Set<String> names = s.labels().orElseThrow().stream().map(LabelCounters::label).collect(Collectors.toSet());
        assertThat(names).contains("transit", "web", "backup").hasSizeLessThan(SimScale.LARGE.labels());
        assertThat(Sims.label(s, "customers/c017", "web").rules()).isGreaterThan(1);
        assertThat(Sims.rules(s).stream().mapToLong(RuleCounters::bytesIn).filter(b -> b > 0).count()).isGreaterThan(40_000);
        assertThat(Sims.status(s).states()).isBetween(10_000L, 60_000L);
        SimulatedPf.Expected e = sim.expected();
        assertThat(s.rules().value()).contains(e.rules());
        assertThat(s.interfaces().value()).contains(e.interfaces());
        assertThat(s.tables().value()).contains(e.tables());
        assertThat(s.queues().value()).contains(e.queues());
        assertThat(s.status().value()).contains(e.status());
        assertThat(sim.openTickets()).isZero();
    }
}
