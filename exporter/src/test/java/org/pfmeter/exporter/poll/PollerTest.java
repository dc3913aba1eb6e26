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
import org.pfmeter.pf.sim.SimScale;
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

    @Test
    void thePollsAllocationIsMeasuredOnThePollingThreadAndGrowsWithTheFirewall() {
        assertThat(PollStats.NONE.lastPollAllocatedBytes()).isEmpty();
        long small = secondPollAllocation(SimScale.SMALL);
        long large = secondPollAllocation(SimScale.LARGE);
        // the large firewall decodes 50,000 rules, 5,000 labels and 1,000 tables: well over a megabyte
        assertThat(small).isPositive();
        assertThat(large).isGreaterThan(1_000_000).isGreaterThan(10 * small);
    }

    @Test
    void whatTheConsumersAllocateIsNotCountedAsThePolls() {
        poller.pollOnce();
        poller.addListener((s, st) -> {
            byte[][] garbage = new byte[64][];
            for (int i = 0; i < garbage.length; i++) {
                garbage[i] = new byte[1 << 20];
            }
        });
        poller.pollOnce();
        assertThat(poller.stats().lastPollAllocatedBytes().orElseThrow()).isPositive().isLessThan(64L << 20);
    }

    /** The second poll's, so that loading classes on the first does not count. */
    private long secondPollAllocation(SimScale scale) {
        SimulatedPf sim = new SimulatedPf(SimConfig.defaults().withScale(scale), clock);
        PfReader r = new PfReader(sim, AbiRelease.V8_0, clock);
        Poller p = new Poller(r::poll, clock, Duration.ofSeconds(10), new SnapshotHolder());
        p.pollOnce();
        clock.advance(Duration.ofSeconds(10));
        p.pollOnce();
        assertThat(p.stats().lastPollAllocatedBytes()).as("this JVM (HotSpot) measures thread allocation").isPresent();
        return p.stats().lastPollAllocatedBytes().getAsLong();
    }
}
