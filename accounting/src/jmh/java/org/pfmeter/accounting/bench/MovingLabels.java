package org.pfmeter.accounting.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.pfmeter.pf.PfReader;
import org.pfmeter.pf.abi.AbiRelease;
import org.pfmeter.pf.model.LabelCounters;
import org.pfmeter.pf.model.PfSnapshot;
import org.pfmeter.pf.model.RuleCounters;
import org.pfmeter.pf.model.Rules;
import org.pfmeter.pf.model.SubsystemResult;
import org.pfmeter.pf.sim.SimClock;
import org.pfmeter.pf.sim.SimConfig;
import org.pfmeter.pf.sim.SimulatedPf;

/**
 * Polls of {@code labels} labels, 100 to an anchor, whose counters all move, 10 s apart (the
 * daemon's default interval) unless told otherwise, around a real status, limits and interfaces read from the simulator:
 * the ledger benchmarks' worst case, every label written every poll.
 */
final class MovingLabels {
    static final Instant START = Instant.parse("2026-10-01T00:00:00Z");
    private final int labels;
    private final Duration interval;
    private final PfSnapshot template;
    private Instant now = START;
    private long step;

    MovingLabels(int labels) {
        this(labels, Duration.ofSeconds(10));
    }

    /** @param interval simulated time between polls */
    MovingLabels(int labels, Duration interval) {
        this.labels = labels;
        this.interval = interval;
        SimulatedPf sim = new SimulatedPf(SimConfig.defaults(), SimClock.manual(START));
        this.template = new PfReader(sim, AbiRelease.V8_0, sim.clock()).poll();
    }

    PfSnapshot next() {
        now = now.plus(interval);
        step++;
        List<RuleCounters> rules = new ArrayList<>(labels);
        List<LabelCounters> sums = new ArrayList<>(labels);
        for (int i = 0; i < labels; i++) {
            String anchor = "customers/c" + (i / 100);
            String label = "label-" + i;
            long v = step * (1000 + i);
            RuleCounters r = new RuleCounters(anchor, i % 100, label, "", v, v, v, v * 100, v * 200, 3, v);
            rules.add(r);
            sums.add(LabelCounters.empty(anchor, label).plus(r));
        }
        PfSnapshot t = template;
        return new PfSnapshot(now, Duration.ZERO, "8.0", t.status(), t.limits(), t.timeouts(), t.interfaces(),
                SubsystemResult.ok(new Rules(List.of(""), rules, sums)), t.tables(), t.queues(), t.sourceNodes(),
                t.stateLimiters(), t.sourceLimiters(),
                t.pfsync(), t.tableAddresses());
    }
}
