package org.pfmeter.pf.sim;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.pfmeter.pf.PfReader;
import org.pfmeter.pf.abi.AbiRelease;
import org.pfmeter.pf.model.InterfaceCounters;
import org.pfmeter.pf.model.LabelCounters;
import org.pfmeter.pf.model.LabelKey;
import org.pfmeter.pf.model.PfSnapshot;
import org.pfmeter.pf.model.QueueStats;
import org.pfmeter.pf.model.RuleCounters;
import org.pfmeter.pf.model.Status;
import org.pfmeter.pf.model.TableStats;

/** Small helpers shared by the simulator's tests. */
final class Sims {

    /** A Monday, 08:00 UTC. */
    static final Instant START = Instant.parse("2026-11-02T08:00:00Z");

    private Sims() {
    }

    static SimulatedPf small() {
        return new SimulatedPf(SimConfig.defaults(), SimClock.manual(START));
    }

    static SimulatedPf sim(SimConfig config) {
        return new SimulatedPf(config, SimClock.manual(START));
    }

    static PfReader reader(SimulatedPf sim) {
        return new PfReader(sim, sim.config().kernelRelease(), sim.clock());
    }

    static PfReader reader(SimulatedPf sim, AbiRelease release) {
        return new PfReader(sim, release, sim.clock());
    }

    /** A snapshot without its measured duration, which no two polls share. */
    static PfSnapshot content(PfSnapshot s) {
        return new PfSnapshot(s.takenAt(), Duration.ZERO, s.abiRelease(), s.status(), s.limits(), s.timeouts(),
                s.interfaces(), s.rules(), s.tables(), s.queues(), s.sourceNodes(), s.stateLimiters(), s.sourceLimiters(),
                s.pfsync(), s.tableAddresses());
    }

    static Status status(PfSnapshot s) {
        return s.status().value().orElseThrow(() -> new AssertionError("status: " + s.errors()));
    }

    static List<InterfaceCounters> interfaces(PfSnapshot s) {
        return s.interfaces().value().orElseThrow(() -> new AssertionError("interfaces: " + s.errors()));
    }

    static InterfaceCounters iface(PfSnapshot s, String name) {
        return interfaces(s).stream().filter(i -> i.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no kif " + name));
    }

    static List<RuleCounters> rules(PfSnapshot s) {
        return s.rules().value().orElseThrow(() -> new AssertionError("rules: " + s.errors())).rules();
    }

    static LabelCounters label(PfSnapshot s, String anchor, String label) {
        return s.labels().orElseThrow(() -> new AssertionError("rules: " + s.errors())).stream()
                .filter(l -> l.key().equals(new LabelKey(anchor, label))).findFirst()
                .orElseThrow(() -> new AssertionError("no label " + anchor + ":" + label));
    }

    static List<TableStats> tables(PfSnapshot s) {
        return s.tables().value().orElseThrow(() -> new AssertionError("tables: " + s.errors()));
    }

    static List<QueueStats> queues(PfSnapshot s) {
        return s.queues().value().orElseThrow(() -> new AssertionError("queues: " + s.errors()));
    }
}
