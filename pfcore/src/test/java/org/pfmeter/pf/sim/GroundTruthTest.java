package org.pfmeter.pf.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pfmeter.pf.sim.Sims.status;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pfmeter.pf.PfReader;
import org.pfmeter.pf.model.InterfaceCounters;
import org.pfmeter.pf.model.LabelCounters;
import org.pfmeter.pf.model.LabelKey;
import org.pfmeter.pf.model.PfSnapshot;
import org.pfmeter.pf.model.Status;

/**
 * Ground truth against a reset-safe reader, and determinism: what the simulator reports depends
 * only on its seed and the simulated time.
 */
class GroundTruthTest {

    /**
     * What a ledger does: per (anchor, label), the delta is current − previous, unless the counters
     * went backwards or the ruleset checksum or pf's start time changed; then it is the current value.
     */
    private static final class ResetSafeReader {
        private final Map<LabelKey, long[]> previous = new HashMap<>();
        private final Map<LabelKey, long[]> total = new HashMap<>();
        private String checksum;
        private long since = -1;

        void account(PfSnapshot s) {
            Status st = status(s);
            boolean reset = checksum != null && (!checksum.equals(st.checksum()) || since != st.since());
            checksum = st.checksum();
            since = st.since();
            for (LabelCounters l : s.labels().orElseThrow()) {
                long[] cur = {l.packetsIn(), l.packetsOut(), l.bytesIn(), l.bytesOut()};
                long[] prev = previous.get(l.key());
                boolean back = prev == null || reset;
                for (int j = 0; j < 4 && !back; j++) {
                    back = Long.compareUnsigned(cur[j], prev[j]) < 0;
                }
                long[] t = total.computeIfAbsent(l.key(), k -> new long[4]);
                for (int j = 0; j < 4; j++) {
                    t[j] += back ? cur[j] : cur[j] - prev[j];
                }
                previous.put(l.key(), cur);
            }
        }
    }

    @Test
    void aResetSafeReaderPollingEveryTenSecondsAccountsExactlyTheObservableTruth() {
        SimulatedPf sim = Sims.small();
        sim.schedule(FaultSchedule.parse("ruleset-reload@20m3s,interface-vanish@30m,interface-appear@40m5s,"
                + "zero-counters@50m7s,state-ramp@55m+10m,pf-restart@80m1s,busy-rule-walk@90m5s,ruleset-reload@100m"));
        PfReader reader = Sims.reader(sim);
        ResetSafeReader ledger = new ResetSafeReader();
        for (int i = 0; i <= 6 * 120; i++) {
            if (i > 0) {
                sim.advance(Duration.ofSeconds(10));
            }
            PfSnapshot s = reader.poll();
            assertThat(s.complete()).as("poll %d", i).isTrue();
            ledger.account(s);
        }
        GroundTruth truth = sim.groundTruth();
        assertThat(truth.labels()).hasSize(SimScale.SMALL.labels());
        long discarded = 0;
        for (Map.Entry<LabelKey, GroundTruth.Totals> e : truth.labels().entrySet()) {
            GroundTruth.Counts o = e.getValue().observable();
            assertThat(ledger.total.get(e.getKey())).as(e.getKey().toString())
                    .containsExactly(o.packetsIn(), o.packetsOut(), o.bytesIn(), o.bytesOut());
            discarded += e.getValue().discarded().bytesIn() + e.getValue().discarded().bytesOut();
            assertThat(e.getValue().counted().bytesIn() + e.getValue().counted().bytesOut()).as(e.getKey().toString()).isPositive();
        }
        assertThat(discarded).as("the resets between polls lost something").isPositive();
    }

    @Test
    void groundTruthCountsWhatTheRulesCountedBeforeAnyReset() {
        SimulatedPf sim = Sims.small();
        sim.advance(Duration.ofHours(3));
        PfSnapshot s = Sims.reader(sim).poll();
        GroundTruth truth = sim.groundTruth();
        for (LabelCounters l : s.labels().orElseThrow()) {
            GroundTruth.Totals t = truth.labels().get(l.key());
            assertThat(t.discarded()).isEqualTo(GroundTruth.Counts.ZERO);
            assertThat(t.counted()).isEqualTo(new GroundTruth.Counts(l.packetsIn(), l.packetsOut(), l.bytesIn(), l.bytesOut()));
        }
        // a reload with nothing read since the last walk: everything since then is discarded
        sim.advance(Duration.ofMinutes(1));
        long before = sim.groundTruth().labels().get(new LabelKey("", "egress-v4")).counted().bytesOut();
        sim.inject(Fault.RULESET_RELOAD);
        GroundTruth.Totals egress = sim.groundTruth().labels().get(new LabelKey("", "egress-v4"));
        assertThat(egress.discarded().bytesOut()).isEqualTo(before - Sims.label(s, "", "egress-v4").bytesOut()).isPositive();
        assertThat(egress.observable().bytesOut()).isEqualTo(Sims.label(s, "", "egress-v4").bytesOut());
    }

    @Test
    void twoSimulatorsWithTheSameSeedAnswerTheSameAtTheSameTimes() {
        SimulatedPf a = Sims.sim(SimConfig.defaults().withSeed(42));
        SimulatedPf b = Sims.sim(SimConfig.defaults().withSeed(42));
        SimulatedPf c = Sims.sim(SimConfig.defaults().withSeed(43));
        PfReader ra = Sims.reader(a);
        PfReader rb = Sims.reader(b);
        PfReader rc = Sims.reader(c);
        for (int i = 0; i < 50; i++) {
            if (i == 20) {
                a.inject(Fault.RULESET_RELOAD);
                b.inject(Fault.RULESET_RELOAD);
            }
            if (i == 30) {
                a.inject(Fault.STATE_RAMP);
                b.inject(Fault.STATE_RAMP);
            }
            PfSnapshot sa = Sims.content(ra.poll());
            assertThat(sa).isEqualTo(Sims.content(rb.poll()));
            PfSnapshot sc = Sims.content(rc.poll());
            if (i > 0) {
                assertThat(sc.rules()).isNotEqualTo(sa.rules());
            }
            a.advance(Duration.ofSeconds(37));
            b.advance(Duration.ofSeconds(37));
            c.advance(Duration.ofSeconds(37));
        }
        assertThat(a.groundTruth()).isEqualTo(b.groundTruth());
    }

    @Test
    void howOftenTheSimulatorIsPolledDoesNotChangeWhatItCounts() {
        SimulatedPf often = Sims.small();
        SimulatedPf once = Sims.small();
        FaultSchedule plan = FaultSchedule.parse("state-ramp@10m+15m,ruleset-reload@40m,zero-counters@50m");
        often.schedule(plan);
        once.schedule(plan);
        PfReader r = Sims.reader(often);
        for (int i = 0; i < 360; i++) {
            r.poll();
            often.advance(Duration.ofSeconds(10));
        }
        once.advance(Duration.ofHours(1));
        PfSnapshot a = r.poll();
        PfSnapshot b = Sims.reader(once).poll();
        assertThat(a.status()).isEqualTo(b.status());
        assertThat(a.rules()).isEqualTo(b.rules());
        assertThat(a.tables()).isEqualTo(b.tables());
        assertThat(a.queues()).isEqualTo(b.queues());
        // pfik_tzero is stamped when a kif is first listed, which did happen at different times
        List<InterfaceCounters> ia = Sims.interfaces(a);
        List<InterfaceCounters> ib = Sims.interfaces(b);
        for (int i = 0; i < ia.size(); i++) {
            assertThat(ia.get(i).counters()).isEqualTo(ib.get(i).counters());
        }
        // and what is lost in a reset does depend on what was read before it
        assertThat(often.groundTruth().labels().get(new LabelKey("", "egress-v4")).counted())
                .isEqualTo(once.groundTruth().labels().get(new LabelKey("", "egress-v4")).counted());
    }
}
