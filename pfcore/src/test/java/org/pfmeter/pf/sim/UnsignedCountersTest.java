package org.pfmeter.pf.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pfmeter.pf.sim.Sims.iface;
import static org.pfmeter.pf.sim.Sims.label;
import static org.pfmeter.pf.sim.Sims.status;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.pfmeter.pf.PfReader;
import org.pfmeter.pf.model.Action;
import org.pfmeter.pf.model.AddressFamily;
import org.pfmeter.pf.model.Direction;
import org.pfmeter.pf.model.LabelCounters;
import org.pfmeter.pf.model.LabelKey;
import org.pfmeter.pf.model.PfSnapshot;
import org.pfmeter.pf.model.Reason;
import org.pfmeter.pf.model.TableAction;
import org.pfmeter.pf.model.TableStats;

/** Counters above 2^63 and across 2^64 travel the whole path unsigned. */
class UnsignedCountersTest {

    private static final long TWO_63 = Long.MIN_VALUE;      // 2^63 as an unsigned long

    @Test
    void countersAbove2To63DecodeAndSumUnsigned() {
        SimulatedPf sim = Sims.sim(SimConfig.defaults().withCounterStart(SimConfig.NEAR_2_63));
        PfReader reader = Sims.reader(sim);
        sim.advance(Duration.ofMinutes(30));
        PfSnapshot s = reader.poll();
        assertThat(s.complete()).isTrue();
        // decoded exactly as the simulator holds them, every subsystem
        SimulatedPf.Expected e = sim.expected();
        assertThat(s.status().value()).contains(e.status());
        assertThat(s.interfaces().value()).contains(e.interfaces());
        assertThat(s.rules().value()).contains(e.rules());
        assertThat(s.tables().value()).contains(e.tables());
        assertThat(s.queues().value()).contains(e.queues());

        LabelCounters egress = label(s, "", "egress-v4");
        assertThat(Long.compareUnsigned(egress.bytesOut(), TWO_63)).isPositive();
        assertThat(egress.bytesOut()).as("negative as a signed long").isNegative();
        assertThat(Long.toUnsignedString(egress.bytesOut())).startsWith("92233720");
        assertThat(Long.compareUnsigned(iface(s, "em0").counters().bytes(AddressFamily.INET, Direction.OUT, Action.PASS), TWO_63)).isPositive();
        assertThat(Long.compareUnsigned(status(s).counters().get(Reason.MATCH), TWO_63)).isPositive();
        TableStats web = Sims.tables(s).get(7);
        assertThat(Long.compareUnsigned(web.packets(Direction.IN, TableAction.PASS), TWO_63)).isPositive();
        assertThat(Long.compareUnsigned(Sims.queues(s).get(1).transmittedBytes(), TWO_63)).isPositive();

        // a label of three rules: three starts plus what was counted, modulo 2^64
        GroundTruth truth = sim.groundTruth();
        for (String name : new String[] {"lan-web", "egress-v4", "blocked-egress"}) {
            LabelCounters l = label(s, "", name);
            GroundTruth.Counts c = truth.labels().get(new LabelKey("", name)).counted();
            long starts = l.rules() * SimConfig.NEAR_2_63;
            assertThat(l.bytesIn()).as(name).isEqualTo(starts + c.bytesIn());
            assertThat(l.packetsOut()).as(name).isEqualTo(starts + c.packetsOut());
        }
    }

    @Test
    void deltasAcross2To64AreTheTrafficInBetween() {
        long start = -1_000_000_000L;                           // 2^64 - 10^9
        SimulatedPf sim = Sims.sim(SimConfig.defaults().withCounterStart(start));
        PfReader reader = Sims.reader(sim);
        PfSnapshot first = reader.poll();
        sim.advance(Duration.ofHours(1));                       // egress-v4 moves far more than 10^9 bytes
        PfSnapshot later = reader.poll();
        long before = label(first, "", "egress-v4").bytesIn();
        long after = label(later, "", "egress-v4").bytesIn();
        assertThat(before).isEqualTo(start);
        assertThat(Long.compareUnsigned(after, before)).as("wrapped past 2^64").isNegative();
        long counted = sim.groundTruth().labels().get(new LabelKey("", "egress-v4")).counted().bytesIn();
        assertThat(counted).isGreaterThan(1_000_000_000L);
        assertThat(after - before).as("unsigned delta").isEqualTo(counted);
        long em0Before = iface(first, "em0").counters().bytes(AddressFamily.INET, Direction.OUT, Action.PASS);
        long em0After = iface(later, "em0").counters().bytes(AddressFamily.INET, Direction.OUT, Action.PASS);
        assertThat(Long.compareUnsigned(em0After, em0Before)).isNegative();
        assertThat(em0After - em0Before).isPositive();
        // a counter pf resets starts over from zero, not from the configured start
        sim.inject(Fault.RULESET_RELOAD);
        assertThat(label(reader.poll(), "", "egress-v4").bytesIn()).isZero();
    }
}
