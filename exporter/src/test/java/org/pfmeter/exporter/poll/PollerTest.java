package org.pfmeter.exporter.poll;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pfmeter.pf.PfReader;
import org.pfmeter.pf.abi.AbiRelease;
import org.pfmeter.pf.model.PfSnapshot;
import org.pfmeter.pf.model.Subsystem;
import org.pfmeter.pf.sim.Fault;
import org.pfmeter.pf.sim.SimClock;
import org.pfmeter.pf.sim.SimConfig;
import org.pfmeter.pf.sim.SimulatedPf;

class PollerTest {

    final SimClock clock = SimClock.manual(Instant.parse("2026-11-02T09:00:00Z"));
    final SimulatedPf pf = new SimulatedPf(SimConfig.defaults(), clock);
    final PfReader reader = new PfReader(pf, AbiRelease.V8_0, clock);
    final Poller poller = new Poller(reader::poll, clock, Duration.ofSeconds(10), new SnapshotHolder());

    @Test
    void eachPollReplacesTheLatestSnapshotAndCountsWhatHappened() {
        assertThat(poller.holder().latest()).isEmpty();
        List<PfSnapshot> seen = new ArrayList<>();
        poller.addListener((s, st) -> seen.add(s));
        PfSnapshot first = poller.pollOnce();
        assertThat(poller.holder().latest().orElseThrow().snapshot()).isSameAs(first);
        assertThat(seen).containsExactly(first);

        pf.inject(Fault.EACCES);
        clock.advance(Duration.ofSeconds(10));
        poller.pollOnce();
        PollStats st = poller.stats();
        assertThat(st.polls()).isEqualTo(2);
        assertThat(st.successfulPolls()).isEqualTo(1);
        assertThat(st.lastSuccessAt()).contains(first.takenAt());
        assertThat(st.errors(Subsystem.STATUS)).isEqualTo(1);
        assertThat(poller.holder().latest().orElseThrow().age(clock)).isZero();
        clock.advance(Duration.ofSeconds(4));
        assertThat(poller.holder().latest().orElseThrow().age(clock)).isEqualTo(Duration.ofSeconds(4));

        pf.clear(Fault.EACCES);
        pf.inject(Fault.RULESET_RELOAD);
        poller.pollOnce();
        assertThat(poller.stats().rulesetChanges()).isEqualTo(1);
    }

    @Test
    void aFailingConsumerNeitherStopsThePollNorTheOtherConsumers() {
        List<PfSnapshot> seen = new ArrayList<>();
        poller.addListener((s, st) -> {
            throw new IllegalStateException("ledger is down");
        });
        poller.addListener((s, st) -> seen.add(s));
        poller.pollOnce();
        poller.pollOnce();
        assertThat(seen).hasSize(2);
    }

    @Test
    void pfErrorsAreLoggedOncePerChangeOfState() {
        SubsystemStateLog log = new SubsystemStateLog();
        assertThat(log.observe(reader.poll())).isEmpty();
        pf.inject(Fault.BUSY_ALWAYS);
        assertThat(log.observe(reader.poll())).singleElement().asString().startsWith("subsystem rules failed (busy, EBUSY)");
        assertThat(log.observe(reader.poll())).isEmpty();
        assertThat(log.observe(reader.poll())).isEmpty();
        pf.clear(Fault.BUSY_ALWAYS);
        assertThat(log.observe(reader.poll())).containsExactly("subsystem rules recovered");
        assertThat(log.observe(reader.poll())).isEmpty();
    }

    @Test
    void anExceptionFromTheSourceCountsAsEverySubsystemFailing() {
        Poller broken = new Poller(() -> {
            throw new IllegalStateException("device gone");
        }, clock, Duration.ofSeconds(10), new SnapshotHolder());
        PfSnapshot s = broken.pollOnce();
        assertThat(s.errors()).hasSize(Subsystem.values().length);
        assertThat(broken.stats().successfulPolls()).isZero();
    }
}
