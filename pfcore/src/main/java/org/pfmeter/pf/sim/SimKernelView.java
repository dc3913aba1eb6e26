package org.pfmeter.pf.sim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import org.pfmeter.pf.abi.PfSrcNode;
import org.pfmeter.pf.model.LabelKey;
import org.pfmeter.pf.model.RuleCounters;
import org.pfmeter.pf.model.Status;
import org.pfmeter.pf.model.TableStats;

/**
 * The simulated kernel's state as another platform's simulator (the FreeBSD one in
 * {@code sim.freebsd}) needs it: the same seeded topology, traffic, faults and resets that
 * {@link SimulatedPf} answers OpenBSD's ioctls from, read in the kernel's own terms (rules, rulesets
 * and their versions, status, limits, timeouts, tables, source nodes) without OpenBSD's struct
 * layouts. Every call first brings the kernel to the clock's current second, as an ioctl does.
 *
 * <p>Reading a rule with {@link #readRule} books it as returned to a reader, which is what the ground
 * truth's "discarded" part depends on; {@link #groundTruth(IntFunction)} sums per (anchor, label)
 * with the labels a platform gives each rule, so a rule with several labels counts in each of them.
 */
public final class SimKernelView {

    private final SimulatedPf pf;

    public SimKernelView(SimulatedPf pf) {
        this.pf = pf;
    }

    public SimulatedPf pf() {
        return pf;
    }

    /** A ruleset (the main one has path ""), its children's paths and its rules' indices. */
    public record Ruleset(int index, String path, String name, List<String> children, int firstRule, int ruleCount) {
    }

    /** What a rule is (not what it counted): its place, label and match fields. */
    public record RuleDef(int index, String anchor, int nr, String label, String anchorCall, String ifname,
            int action, int direction, int af, int proto, boolean quick, boolean log, boolean keepState, int dstPort,
            String qname, String srcTable, String dstTable) {
    }

    public int rules() {
        return pf.atNow(k -> k.topo.rules);
    }

    /** The rulesets depth first from the main ruleset, as a reader walking the anchors finds them. */
    public List<Ruleset> rulesets() {
        return pf.atNow(k -> {
            List<Ruleset> out = new ArrayList<>();
            depthFirst(k, k.topo.rulesets.get(0), out);
            return out;
        });
    }

    private static void depthFirst(SimKernel k, Topology.RulesetDef rs, List<Ruleset> out) {
        out.add(ruleset(k, rs));
        for (int c : rs.children) {
            depthFirst(k, k.topo.rulesets.get(c), out);
        }
    }

    private static Ruleset ruleset(SimKernel k, Topology.RulesetDef rs) {
        List<String> children = new ArrayList<>();
        for (int c : rs.children) {
            children.add(k.topo.rulesets.get(c).name);
        }
        return new Ruleset(rs.index, rs.path, rs.name, children, rs.firstRule, rs.ruleCount);
    }

    /** The ruleset at {@code path} ("" is the main ruleset), as the kernel finds it. */
    public Optional<Ruleset> ruleset(String path) {
        return Optional.ofNullable(byPath().get(path));
    }

    /** The topology does not change while the simulator runs: its rulesets and rules are read once. */
    private synchronized Map<String, Ruleset> byPath() {
        if (byPath == null) {
            Map<String, Ruleset> m = new LinkedHashMap<>();
            for (Ruleset rs : rulesets()) {
                m.put(rs.path(), rs);
            }
            byPath = m;
        }
        return byPath;
    }

    private Map<String, Ruleset> byPath;
    private List<RuleDef> defs;

    /**
     * The ruleset's version: it moves with every commit (a reload, a pf restart), so it serves as the
     * ticket of a kernel whose ticket is the active ruleset's.
     */
    public long version(int ruleset) {
        return pf.atNow(k -> k.versions[ruleset]);
    }

    public RuleDef rule(int i) {
        return ruleDefs().get(i);
    }

    /** Every rule's definition, by index. */
    public synchronized List<RuleDef> ruleDefs() {
        if (defs == null) {
            defs = pf.atNow(k -> {
                List<RuleDef> l = new ArrayList<>(k.topo.rules);
                for (int i = 0; i < k.topo.rules; i++) {
                    l.add(def(k, i));
                }
                return List.copyOf(l);
            });
        }
        return defs;
    }

    private static RuleDef def(SimKernel k, int i) {
        {
            Topology t = k.topo;
            return new RuleDef(i, t.rulesets.get(t.ruleset[i]).path, t.nr[i], t.label[i],
                    t.anchorCall[i] < 0 ? "" : t.rulesets.get(t.anchorCall[i]).name, t.ifname[i], t.action[i],
                    t.direction[i], t.af[i], t.proto[i], t.quick[i], t.log[i], t.keepState[i], t.dstPort[i],
                    t.qname[i], t.srcTable[i] < 0 ? "" : t.tables.get(t.srcTable[i]).name(),
                    t.dstTable[i] < 0 ? "" : t.tables.get(t.dstTable[i]).name());
        }
    }

    /** Rule {@code i}'s counters now, booked as returned to a reader (a GETRULE answered them). */
    public RuleCounters readRule(int i) {
        return pf.atNow(k -> {
            RuleCounters c = k.rule(i);
            k.returned(i, c);
            return c;
        });
    }

    /** What the last read of rule {@code i} returned (packets in, out, bytes in, out), as booked. */
    public long[] booked(int i) {
        return pf.atNow(k -> k.lastReturned(i));
    }

    /**
     * Books rule {@code i} as last returned with {@code booked} again (from {@link #booked}): the read
     * since then went to a walk its reader abandoned, so it does not count as seen.
     */
    public void unread(int i, long[] booked) {
        pf.atNow(k -> {
            k.returned(i, new RuleCounters("", 0, "", "", 0, booked[0], booked[1], booked[2], booked[3], 0, 0));
            return null;
        });
    }

    /** Rule {@code i}'s counters now, without booking them (tests). */
    public RuleCounters peekRule(int i) {
        return pf.atNow(k -> k.rule(i));
    }

    /** The process id of the pfctl that loaded the ruleset (a rule's cpid). */
    public int loaderPid() {
        return pf.atNow(k -> k.loaderPid);
    }

    /** The status as the simulated kernel keeps it (OpenBSD's tables; another platform renames). */
    public Status status() {
        return pf.atNow(SimKernel::status);
    }

    /** The simulated host's boot time, epoch seconds. */
    public long bootEpoch() {
        return pf.atNow(k -> k.bootEpoch);
    }

    /** The current simulated second, epoch seconds. */
    public long nowEpoch() {
        return pf.atNow(k -> k.epoch(k.now()));
    }

    /** Seconds of uptime at which pf was (last) enabled. */
    public long sinceUptime() {
        return pf.atNow(k -> k.sinceUptime);
    }

    /** PF_LIMIT_* values in OpenBSD's order (states, src-nodes, frags, tables, table-entries, …). */
    public long[] limits() {
        return pf.atNow(k -> k.limits.clone());
    }

    /** PFTM_* values up to PFTM_TS_DIFF. */
    public long[] timeouts() {
        return pf.atNow(k -> k.timeouts.clone());
    }

    /** Every table's counters now, in the kernel's order. */
    public List<TableStats> tables() {
        return pf.atNow(k -> {
            List<TableStats> out = new ArrayList<>();
            for (int i : k.tables("", true)) {
                out.add(k.table(i));
            }
            return out;
        });
    }

    /**
     * The tables {@code answered} picks (in the kernel's order), their counters now, booked as returned
     * to a reader (a GET_TSTATS answered them): what the tables' ground truth's "discarded" part depends
     * on, as {@link #readRule} is for the rules.
     */
    public List<TableStats> readTables(Predicate<TableStats> answered) {
        return pf.atNow(k -> {
            List<TableStats> out = new ArrayList<>();
            for (int i : k.tables("", true)) {
                TableStats t = k.table(i);
                if (answered.test(t)) {
                    out.add(t);
                    pf.tableReturned(i, t);
                }
            }
            return out;
        });
    }

    /** Every source tracking node now (OpenBSD's AF numbers and kinds), in the kernel's order. */
    public List<PfSrcNode.Encoded> sourceNodes() {
        return pf.atNow(k -> {
            List<PfSrcNode.Encoded> out = new ArrayList<>();
            k.sourceNodes.forEach(k.frame(), k.epoch(k.now()) - k.bootEpoch, out::add);
            return out;
        });
    }

    /**
     * Ground truth per (anchor, label) when rule {@code i} carries the labels {@code labelsOf.apply(i)}:
     * every label of a rule gets the rule's whole traffic (and its discarded part), so a rule with two
     * labels counts in both. Unlabelled rules count nowhere.
     */
    public GroundTruth groundTruth(IntFunction<List<String>> labelsOf) {
        return pf.atNow(k -> {
            Frame f = k.frame();
            Map<LabelKey, long[]> sums = new LinkedHashMap<>();
            for (int i = 0; i < k.topo.rules; i++) {
                String anchor = k.topo.rulesets.get(k.topo.ruleset[i]).path;
                for (String label : labelsOf.apply(i)) {
                    long[] s = sums.computeIfAbsent(new LabelKey(anchor, label), x -> new long[8]);
                    s[0] += f.packetsIn[i];
                    s[1] += f.packetsOut[i];
                    s[2] += f.bytesIn[i];
                    s[3] += f.bytesOut[i];
                    for (int j = 0; j < 4; j++) {
                        s[4 + j] += k.discardedByRule[i * 4 + j];
                    }
                }
            }
            Map<LabelKey, GroundTruth.Totals> m = new LinkedHashMap<>();
            sums.forEach((key, s) -> m.put(key, new GroundTruth.Totals(new GroundTruth.Counts(s[0], s[1], s[2], s[3]),
                    new GroundTruth.Counts(s[4], s[5], s[6], s[7]))));
            return new GroundTruth(m);
        });
    }
}
