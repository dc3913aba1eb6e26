package org.pfmeter.pf.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pfmeter.pf.PfReader;
import org.pfmeter.pf.model.InterfaceCounters;
import org.pfmeter.pf.model.PfSnapshot;
import org.pfmeter.pf.model.QueueStats;
import org.pfmeter.pf.model.RuleCounters;
import org.pfmeter.pf.model.Status;
import org.pfmeter.pf.model.TableStats;

/**
 * Without a reset, no cumulative counter ever goes backwards, over days of diurnal traffic and
 * state-table floods, and the gauges stay within their bounds.
 */
class CounterMonotonicityTest {

    private static Map<String, Long> counters(PfSnapshot s) {
        Map<String, Long> m = new LinkedHashMap<>();
        Status st = Sims.status(s);
        put(m, "counters", st.counters().toArray());
        put(m, "lcounters", st.limitCounters().toArray());
        put(m, "fcounters", st.stateOperations().toArray());
        put(m, "scounters", st.srcNodeOperations().toArray());
        put(m, "ncounters", st.fragmentOperations().toArray());
        put(m, "pcounters", st.logInterface().counters().packetsArray());
        put(m, "bcounters", st.logInterface().counters().bytesArray());
        m.put("stateid", st.stateid().getAsLong());
        for (InterfaceCounters i : Sims.interfaces(s)) {
            put(m, i.name() + ".packets", i.counters().packetsArray());
            put(m, i.name() + ".bytes", i.counters().bytesArray());
        }
        for (RuleCounters r : Sims.rules(s)) {
            String k = r.anchor() + "#" + r.nr();
            put(m, k, new long[] {r.evaluations(), r.packetsIn(), r.packetsOut(), r.bytesIn(), r.bytesOut(), r.statesTotal()});
        }
        for (TableStats t : Sims.tables(s)) {
            put(m, t.name() + ".packets", t.packets());
            put(m, t.name() + ".bytes", t.bytes());
            put(m, t.name() + ".match", new long[] {t.match(), t.nomatch()});
        }
        for (QueueStats q : Sims.queues(s)) {
            put(m, q.name(), new long[] {q.transmittedPackets(), q.transmittedBytes(), q.droppedPackets(), q.droppedBytes()});
        }
        return m;
    }

    private static void put(Map<String, Long> m, String key, long[] v) {
        for (int i = 0; i < v.length; i++) {
            m.put(key + "[" + i + "]", v[i]);
        }
    }

    @Test
    void cumulativeCountersNeverGoBackwardsAndGaugesStayInBounds() {
        SimulatedPf sim = Sims.small();
        sim.schedule(FaultSchedule.parse("state-ramp@6h+2h,state-ramp@30h+4m,state-ramp@30h5m+30m"));
        PfReader reader = Sims.reader(sim);
        Map<String, Long> previous = null;
        List<Long> states = new ArrayList<>();
        for (int i = 0; i < 3 * 24 * 60 / 7; i++) {
            PfSnapshot s = reader.poll();
            Map<String, Long> now = counters(s);
            if (previous != null) {
                for (Map.Entry<String, Long> e : now.entrySet()) {
                    assertThat(Long.compareUnsigned(e.getValue(), previous.get(e.getKey())))
                            .as("%s at poll %d: %d after %d", e.getKey(), i, e.getValue(), previous.get(e.getKey()))
                            .isNotNegative();
                }
            }
            previous = now;
            Status st = Sims.status(s);
            states.add(st.states());
            assertThat(st.states()).isBetween(0L, 10_000L);
            assertThat(st.statesHalfopen().getAsLong()).isBetween(0L, st.states());
            assertThat(st.srcNodes()).isNotNegative();
            assertThat(st.fragments().getAsLong()).isNotNegative();
            for (QueueStats q : Sims.queues(s)) {
                assertThat(q.length()).isBetween(0L, q.limit());
            }
            sim.advance(Duration.ofMinutes(7));
        }
        assertThat(states).contains(10_000L);
        assertThat(states.stream().mapToLong(Long::longValue).min().orElseThrow()).isLessThan(2_000L);
    }
}
