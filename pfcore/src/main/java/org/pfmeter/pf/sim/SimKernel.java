package org.pfmeter.pf.sim;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.pfmeter.pf.abi.AbiRelease;
import org.pfmeter.pf.model.EnumCounters;
import org.pfmeter.pf.model.InterfaceCounters;
import org.pfmeter.pf.model.LabelKey;
import org.pfmeter.pf.model.LimitCounter;
import org.pfmeter.pf.model.Limits;
import org.pfmeter.pf.model.LogInterface;
import org.pfmeter.pf.model.PfLimit;
import org.pfmeter.pf.model.PfTimeout;
import org.pfmeter.pf.model.QueueStats;
import org.pfmeter.pf.model.Reason;
import org.pfmeter.pf.model.RuleCounters;
import org.pfmeter.pf.model.Status;
import org.pfmeter.pf.model.SyncookieMode;
import org.pfmeter.pf.model.TableOperation;
import org.pfmeter.pf.model.TableStats;
import org.pfmeter.pf.model.Timeouts;
import org.pfmeter.pf.model.TrafficCounters;

/**
 * The simulated kernel's state. Traffic is a closed-form function of simulated time
 * ({@link TrafficModel}), so every counter at second {@code tau} is "raw value at tau" (a
 * {@link Frame}) plus an offset that the last reset left: a reset at second r sets the offset to
 * minus the raw value at r. Resets, interface changes and faults are events applied at their own
 * simulated second, in order, before anything later is read.
 *
 * <p>Not thread-safe: {@link SimulatedPf} serialises every access.
 */
final class SimKernel {

    /** PF_LIMIT_* defaults of a fresh kernel (the fixture's DIOCGETLIMIT answers). */
    static final long[] LIMIT_DEFAULTS = {100_000, 10_000, 16_384, 1_000, 200_000, 10_000, 512};
    /** PFTM_* defaults of a fresh kernel (the fixture's DIOCGETTIMEOUT answers), kernel enum order. */
    static final long[] TIMEOUT_DEFAULTS = {120, 30, 86_400, 900, 45, 90, 60, 30, 60, 20, 10, 60, 30, 60, 60, 10,
        60_000, 120_000, 0, 30};
    /** The state limit of the SMALL firewall ({@code set limit states 10000}), low enough for STATE_RAMP to look real. */
    static final long SMALL_STATE_LIMIT = 10_000;
    /** STATE_RAMP fills the state table within this many seconds. */
    static final long RAMP_SECONDS = 600;
    /** Adaptive syncookies switch on this long into a ramp: half-open states then pass the high watermark. */
    static final long SYNCOOKIE_AFTER = 300;
    /** The kernel caps a descriptor's open get-rule transactions at PF_ANCHOR_STACK_MAX * 8. */
    static final int MAX_TICKETS = 64 * 8;

    final SimConfig config;
    final Topology topo;
    final TrafficModel traffic;
    final SimSourceNodes sourceNodes;
    final long startEpoch;
    final long bootEpoch;
    final long hostid;
    final long[] limits;
    final long[] timeouts;
    final long hiwat;
    final long lowat;
    final long stateidBase;
    private final SplittableRandom rnd;

    // ---- time ----
    private long appliedTau;                 // every event up to here has been applied
    private final Frame frame;
    private final Frame scratch;
    private final Map<Long, double[]> cumulativeMemo = new HashMap<>();

    // ---- rules ----
    final Map<LabelKey, Integer> labelIndex = new LinkedHashMap<>();
    final int[] ruleLabel;
    private final long[] offPacketsIn;
    private final long[] offPacketsOut;
    private final long[] offBytesIn;
    private final long[] offBytesOut;
    private final long[] offEvaluations;
    private final long[] offStatesTot;
    private final long[] lastReturned;       // rules * 4: what DIOCGETRULE last returned (pi, po, bi, bo)
    private final long[] discarded;          // labels * 4
    /** rules * 4: what resets discarded per rule (SimKernelView's ground truth for rules with several labels). */
    final long[] discardedByRule;
    long[] versions;                         // per ruleset: rules.active.version
    int generation;
    String checksum;
    int loaderPid;
    private long tReload;
    long tFlush;                             // package-private: SimLimiters reads it
    long sinceUptime;

    // ---- interfaces ----
    static final class Kif {
        final String name;
        final boolean group;
        final int iface;                     // Topology.interfaces index; -1 for groups and new interfaces
        final List<String> groups;
        final boolean skip;
        final long pointer;                  // the stand-in for pfik_ifp or pfik_group
        final long[] offPackets = new long[8];
        final long[] offBytes = new long[8];
        long tzero;
        int rules;

        Kif(String name, boolean group, int iface, List<String> groups, boolean skip, long pointer) {
            this.name = name;
            this.group = group;
            this.iface = iface;
            this.groups = groups;
            this.skip = skip;
            this.pointer = pointer;
        }
    }

    private final TreeMap<String, Kif> kifs = new TreeMap<>();
    private final List<List<long[]>> pauses = new ArrayList<>();   // per topology interface: [from, to)
    private final List<Kif> vanished = new ArrayList<>();
    private int pointers;
    private int appeared;

    // ---- tables, queues, status ----
    private final long[] offTablePackets;
    private final long[] offTableBytes;
    private final long[] offTableMatch;
    private final long[] offTableNomatch;
    final long[] tableTzero;
    /** Told when every table's counters are cleared (pfctl -T zero, pf restart), with the frame at that second. */
    java.util.function.ObjLongConsumer<Frame> onTablesZeroed;
    /** Called before the tables' counters are zeroed, with the frame they are zeroed at (SimTableTruth). */
    java.util.function.ObjLongConsumer<Frame> onTablesZeroing;
    private final long[] offQueue;           // queues * 4: xmit packets, xmit bytes, drop packets, drop bytes
    private final long[] offStatus = new long[STATUS_COUNTERS];

    // ---- tickets ----
    static final class Ticket {
        final int ruleset;
        final long version;
        int next;
        int busyAt = -1;                     // BUSY_RULE_WALK: the rule index at which this walk sees EBUSY

        Ticket(int ruleset, long version) {
            this.ruleset = ruleset;
            this.version = version;
        }
    }

    final Map<Long, Ticket> tickets = new HashMap<>();
    private long nextTicket = 1;

    // ---- faults ----
    boolean eacces;
    boolean abiMismatch;
    boolean busyAlways;
    boolean busyNextWalk;

    private record Episode(long start, long end, boolean flushed) {
    }

    private final List<Episode> ramps = new ArrayList<>();

    SimKernel(SimConfig config, long startEpoch) {
        this.config = config;
        this.startEpoch = startEpoch;
        this.rnd = new SplittableRandom(config.seed() ^ 0x6b65726e656cL);
        this.topo = config.scale() == SimScale.SMALL ? Topologies.small(config.seed(), config.names())
                : Topologies.large(config.seed(), config.names());
        this.traffic = new TrafficModel(config.seed(), startEpoch);
        this.sourceNodes = new SimSourceNodes(topo, config.seed());
        long uptime = 3 * TrafficModel.DAY + rnd.nextLong(9 * TrafficModel.DAY);
        this.bootEpoch = startEpoch - uptime;
        this.sinceUptime = 20 + rnd.nextInt(20);
        this.hostid = 1 + rnd.nextLong(0xffff_fffeL);
        this.stateidBase = ((bootEpoch + sinceUptime) << 32) + rnd.nextLong(1_000_000, 100_000_000);
        this.loaderPid = 1000 + rnd.nextInt(90_000);
        this.limits = LIMIT_DEFAULTS.clone();
        this.timeouts = TIMEOUT_DEFAULTS.clone();
        if (config.scale() == SimScale.HUGE) {
            limits[PfLimit.STATES.ordinal()] = SimScale.HUGE_STATE_LIMIT;
        }
        if (config.scale() == SimScale.SMALL) {
            limits[PfLimit.STATES.ordinal()] = SMALL_STATE_LIMIT;
            // set timeout { adaptive.start 6000, adaptive.end 12000 }: 60 % and 120 % of the limit, as the defaults are
            timeouts[PfTimeout.ADAPTIVE_START.ordinal()] = SMALL_STATE_LIMIT * 6 / 10;
            timeouts[PfTimeout.ADAPTIVE_END.ordinal()] = SMALL_STATE_LIMIT * 12 / 10;
        }
        // set syncookies adaptive (start 25%, end 12.5%) of the state limit, as the kernel's defaults are
        this.hiwat = limits[PfLimit.STATES.ordinal()] * 25 / 100;
        this.lowat = hiwat / 2;

        int n = topo.rules;
        ruleLabel = new int[n];
        for (int i = 0; i < n; i++) {
            if (topo.label[i].isEmpty()) {
                ruleLabel[i] = -1;
            } else {
                LabelKey k = new LabelKey(topo.rulesets.get(topo.ruleset[i]).path, topo.label[i]);
                ruleLabel[i] = labelIndex.computeIfAbsent(k, x -> labelIndex.size());
            }
        }
        long start = config.counterStart();
        offPacketsIn = filled(n, start);
        offPacketsOut = filled(n, start);
        offBytesIn = filled(n, start);
        offBytesOut = filled(n, start);
        offEvaluations = filled(n, start);
        offStatesTot = new long[n];
        lastReturned = filled(n * 4, start);
        discarded = new long[labelIndex.size() * 4];
        discardedByRule = new long[n * 4];
        versions = filled(topo.rulesets.size(), 1);
        checksum = computeChecksum();

        for (int i = 0; i < topo.interfaces.size(); i++) {
            pauses.add(new ArrayList<>());
            Topology.IfaceDef d = topo.interfaces.get(i);
            Kif k = new Kif(d.name(), false, i, d.groups(), d.skip(), pointer(false));
            Arrays.fill(k.offPackets, start);
            Arrays.fill(k.offBytes, start);
            kifs.put(k.name, k);
        }
        if (config.pfsync()) {
            kifs.put(SimPfsync.INTERFACE, new Kif(SimPfsync.INTERFACE, false, -1, List.of("all", "pfsync"), false, pointer(false)));
        }
        refreshGroups();
        int t = topo.tables.size();
        offTablePackets = filled(t * 8, start);
        offTableBytes = filled(t * 8, start);
        offTableMatch = filled(t, start);
        offTableNomatch = filled(t, start);
        tableTzero = filled(t, bootEpoch + sinceUptime);
        offQueue = filled(topo.queues.size() * 4, start);
        Arrays.fill(offStatus, start);
        frame = new Frame(topo);
        scratch = new Frame(topo);
    }

    private static long[] filled(int n, long v) {
        long[] a = new long[n];
        Arrays.fill(a, v);
        return a;
    }

    private long pointer(boolean group) {
        // stand-ins for kernel addresses: amd64 kernel VA, distinct per object
        return (group ? 0xffff_8000_0021_0000L : 0xffff_8000_0011_0000L) + 0x800L * pointers++;
    }

    // =====================================================================================
    // time

    /** Seconds since the simulator started, for a wall-clock second. */
    long tauOf(long epochSecond) {
        return epochSecond - startEpoch;
    }

    long now() {
        return appliedTau;
    }

    long epoch(long tau) {
        return startEpoch + tau;
    }

    /** Moves the kernel to second {@code tau} (never backwards). */
    void advanceTo(long tau) {
        if (tau > appliedTau) {
            appliedTau = tau;
        }
    }

    /** The frame at the kernel's current second. */
    Frame frame() {
        if (frame.tau != appliedTau) {
            compute(frame, appliedTau);
        }
        return frame;
    }

    private void invalidate() {
        frame.tau = Long.MIN_VALUE;
        cumulativeMemo.clear();
    }

    private double[] cumulative(long t) {
        return cumulativeMemo.computeIfAbsent(t, x -> {
            double[] s = new double[TrafficModel.PROFILES];
            for (int p = 0; p < s.length; p++) {
                s[p] = traffic.cumulative(p, x);
            }
            return s;
        });
    }

    /** The cumulative traffic shape of a flow on {@code iface} at {@code t}, less the time its interface was gone. */
    double effective(int iface, int profile, long t) {
        double s = cumulative(t)[profile];
        if (iface >= 0) {
            for (long[] p : pauses.get(iface)) {
                if (t > p[0]) {
                    s -= traffic.cumulative(profile, Math.min(t, p[1])) - traffic.cumulative(profile, p[0]);
                }
            }
        }
        return s;
    }

    private void compute(Frame f, long tau) {
        if (cumulativeMemo.size() > 64) {
            cumulativeMemo.clear();
        }
        Topology t = topo;
        f.tau = tau;
        Arrays.fill(f.evaluations, 0);
        Arrays.fill(f.ifPackets, 0);
        Arrays.fill(f.ifBytes, 0);
        Arrays.fill(f.ifStates, 0);
        Arrays.fill(f.tablePackets, 0);
        Arrays.fill(f.tableBytes, 0);
        Arrays.fill(f.tableMatch, 0);
        Arrays.fill(f.tableNomatch, 0);
        Arrays.fill(f.queuePackets, 0);
        Arrays.fill(f.queueBytes, 0);
        long totalPackets = 0;
        long totalConn = 0;
        long expired = 0;
        double fragIn = 0;
        double fragDone = 0;
        for (int i = 0; i < t.rules; i++) {
            int iface = t.flowIface[i];
            if (iface < 0) {
                f.packetsIn[i] = f.packetsOut[i] = f.bytesIn[i] = f.bytesOut[i] = f.connections[i] = f.statesCur[i] = 0;
                continue;
            }
            int p = t.profile[i];
            double s = effective(iface, p, tau);
            long pi = (long) (t.cPacketsIn[i] * s);
            long po = (long) (t.cPacketsOut[i] * s);
            long bi = (long) (t.cBytesIn[i] * s);
            long bo = (long) (t.cBytesOut[i] * s);
            long conn = (long) (t.cConnections[i] * s);
            f.packetsIn[i] = pi;
            f.packetsOut[i] = po;
            f.bytesIn[i] = bi;
            f.bytesOut[i] = bo;
            f.connections[i] = conn;
            totalPackets += pi + po;
            fragIn += (t.cPacketsIn[i] + t.cPacketsOut[i]) * s;
            fragDone += (t.cPacketsIn[i] + t.cPacketsOut[i]) * effective(iface, p, tau - 60);
            int af = t.af[i] == Topology.AF_INET6 ? 1 : 0;
            int base = iface * 8 + af * 4;
            boolean pass = t.action[i] == Topology.PF_PASS;
            int act = pass ? 0 : 1;
            // pfik_packets[af][dir][action]: dir 0 = in, 1 = out
            f.ifPackets[base + act] += pi;
            f.ifPackets[base + 2 + act] += po;
            f.ifBytes[base + act] += bi;
            f.ifBytes[base + 2 + act] += bo;
            long evaluated;
            if (pass) {
                long life = t.lifetime[i];
                long ruleFloor = (long) (t.cConnections[i] * effective(iface, p, Math.max(tau - life, tReload)));
                long tableFloor = (long) (t.cConnections[i] * effective(iface, p, Math.max(tau - life, tFlush)));
                f.statesCur[i] = conn - Math.min(conn, ruleFloor);
                totalConn += conn;
                expired += Math.min(conn, tableFloor);
                f.ifStates[iface] += conn - Math.min(conn, tableFloor);
                evaluated = conn;
                int q = t.flowQueue[i];
                if (q >= 0) {
                    f.queuePackets[q] += po;
                    f.queueBytes[q] += bo;
                }
            } else {
                f.statesCur[i] = 0;
                evaluated = pi + po;          // every blocked packet is evaluated: it has no state
            }
            f.evaluations[t.ruleset[i]] += evaluated;
            int op = pass ? 2 : 0;            // PFR_OP_PASS, PFR_OP_BLOCK
            if (t.srcTable[i] >= 0) {
                tableTraffic(f, t.srcTable[i], op, pi, po, bi, bo, evaluated);
            }
            if (t.dstTable[i] >= 0 && t.dstTable[i] != t.srcTable[i]) {
                tableTraffic(f, t.dstTable[i], op, pi, po, bi, bo, evaluated);
            }
        }
        // an anchor's evaluations include its sub-anchors'; rulesets are created parent first
        for (int r = t.rulesets.size() - 1; r > 0; r--) {
            f.evaluations[t.rulesets.get(r).parent] += f.evaluations[r];
        }
        // anchor-call rules: pf_counters_inc() also counts on the innermost anchor rule, and a state
        // created in the anchor references it (s->anchor.ptr)
        for (int i = 0; i < t.rules; i++) {
            int called = t.anchorCall[i];
            if (called < 0) {
                continue;
            }
            Topology.RulesetDef c = t.rulesets.get(called);
            long pi = 0, po = 0, bi = 0, bo = 0, conn = 0, cur = 0;
            for (int j = c.firstRule; j < c.firstRule + c.ruleCount; j++) {
                if (t.anchorCall[j] < 0) {
                    pi += f.packetsIn[j];
                    po += f.packetsOut[j];
                    bi += f.bytesIn[j];
                    bo += f.bytesOut[j];
                    conn += t.action[j] == Topology.PF_PASS ? f.connections[j] : 0;
                    cur += f.statesCur[j];
                }
            }
            f.packetsIn[i] = pi;
            f.packetsOut[i] = po;
            f.bytesIn[i] = bi;
            f.bytesOut[i] = bo;
            f.connections[i] = conn;
            f.statesCur[i] = cur;
        }
        // a table is looked up on every evaluation of a rule that names it; the misses are nomatch
        for (int i = 0; i < t.rules; i++) {
            if (t.flowIface[i] < 0) {
                continue;
            }
            long evaluated = t.action[i] == Topology.PF_PASS ? f.connections[i] : f.packetsIn[i] + f.packetsOut[i];
            long misses = f.evaluations[t.ruleset[i]] - evaluated;
            if (t.srcTable[i] >= 0) {
                f.tableNomatch[t.srcTable[i]] += misses;
            }
            if (t.dstTable[i] >= 0 && t.dstTable[i] != t.srcTable[i]) {
                f.tableNomatch[t.dstTable[i]] += misses;
            }
        }
        f.totalPackets = totalPackets;
        f.totalConnections = totalConn;
        f.connectionsExpired = expired;
        f.fragmentsIn = (long) (fragIn * 2e-5);
        f.fragmentsDone = Math.min(f.fragmentsIn, (long) (fragDone * 2e-5));
    }

    /** pfr_update_stats(): a table named by a rule counts the packets of the rule's states by direction. */
    private static void tableTraffic(Frame f, int tb, int op, long pi, long po, long bi, long bo, long evaluated) {
        f.tablePackets[tb * 8 + op] += pi;
        f.tablePackets[tb * 8 + 4 + op] += po;
        f.tableBytes[tb * 8 + op] += bi;
        f.tableBytes[tb * 8 + 4 + op] += bo;
        f.tableMatch[tb] += evaluated;
    }

    // =====================================================================================
    // rules

    /** The counters DIOCGETRULE reports for rule {@code i} now. */
    RuleCounters rule(int i) {
        Frame f = frame();
        return new RuleCounters(
                topo.rulesets.get(topo.ruleset[i]).path,
                topo.nr[i],
                topo.label[i],
                topo.anchorCall[i] < 0 ? "" : topo.rulesets.get(topo.anchorCall[i]).name,
                f.evaluations[topo.ruleset[i]] + offEvaluations[i],
                f.packetsIn[i] + offPacketsIn[i],
                f.packetsOut[i] + offPacketsOut[i],
                f.bytesIn[i] + offBytesIn[i],
                f.bytesOut[i] + offBytesOut[i],
                f.statesCur[i],
                (f.connections[i] + offStatesTot[i]) & 0xffff_ffffL,
                sourceNodes.ruleNodes(i, f.statesCur[i]));
    }

    /** DIOCGETRULE returned {@code r} for rule {@code i}: what a reader has seen of it. */
    void returned(int i, RuleCounters r) {
        lastReturned[i * 4] = r.packetsIn();
        lastReturned[i * 4 + 1] = r.packetsOut();
        lastReturned[i * 4 + 2] = r.bytesIn();
        lastReturned[i * 4 + 3] = r.bytesOut();
    }

    /** What a reader was last given of rule {@code i}: packets in, out, bytes in, out (SimKernelView). */
    long[] lastReturned(int i) {
        return Arrays.copyOfRange(lastReturned, i * 4, i * 4 + 4);
    }

    /**
     * Rule counters back to zero at second {@code r} (a reload or pfctl -z). What no DIOCGETRULE has
     * returned of them yet is lost: ground truth books it as discarded.
     */
    private void zeroRules(Frame f) {
        for (int i = 0; i < topo.rules; i++) {
            discardedByRule[i * 4] += f.packetsIn[i] + offPacketsIn[i] - lastReturned[i * 4];
            discardedByRule[i * 4 + 1] += f.packetsOut[i] + offPacketsOut[i] - lastReturned[i * 4 + 1];
            discardedByRule[i * 4 + 2] += f.bytesIn[i] + offBytesIn[i] - lastReturned[i * 4 + 2];
            discardedByRule[i * 4 + 3] += f.bytesOut[i] + offBytesOut[i] - lastReturned[i * 4 + 3];
            int l = ruleLabel[i];
            if (l >= 0) {
                discarded[l * 4] += f.packetsIn[i] + offPacketsIn[i] - lastReturned[i * 4];
                discarded[l * 4 + 1] += f.packetsOut[i] + offPacketsOut[i] - lastReturned[i * 4 + 1];
                discarded[l * 4 + 2] += f.bytesIn[i] + offBytesIn[i] - lastReturned[i * 4 + 2];
                discarded[l * 4 + 3] += f.bytesOut[i] + offBytesOut[i] - lastReturned[i * 4 + 3];
            }
            offPacketsIn[i] = -f.packetsIn[i];
            offPacketsOut[i] = -f.packetsOut[i];
            offBytesIn[i] = -f.bytesIn[i];
            offBytesOut[i] = -f.bytesOut[i];
            offEvaluations[i] = -f.evaluations[topo.ruleset[i]];
            offStatesTot[i] = -f.connections[i];
        }
        Arrays.fill(lastReturned, 0);
    }

    /** A new ruleset is committed at second r: every ruleset's version moves, counters start over. */
    void reload(long r, boolean sameRuleset) {
        advanceTo(r);
        if (!sameRuleset) {
            generation++;
            checksum = computeChecksum();
        }
        loaderPid = 1000 + rnd.nextInt(90_000);
        for (int i = 0; i < versions.length; i++) {
            versions[i] = (versions[i] + 1) & 0xffff_ffffL;
        }
        tReload = r;
        invalidate();
        compute(scratch, r);
        zeroRules(scratch);
        zeroQueues(scratch);
        invalidate();
    }

    /** pfctl -z on rules (DIOCGETRULE with PF_GET_CLR_CNTR), pfctl -i IF -z on every interface, pfctl -T zero on every table. */
    void zeroCounters(long r) {
        advanceTo(r);
        invalidate();
        compute(scratch, r);
        zeroRules(scratch);
        for (Kif k : kifs.values()) {
            zeroKif(k, scratch, r);
        }
        zeroTables(scratch, r);
        invalidate();
    }

    /** pfctl -d; pfctl -F all -f pf.conf -e: the same ruleset again, a cleared status, an empty state table. */
    void restart(long r) {
        advanceTo(r);
        sinceUptime = epoch(r) - bootEpoch;
        tFlush = r;
        int last = ramps.size() - 1;
        if (last >= 0 && ramps.get(last).end() == Long.MAX_VALUE) {
            ramps.set(last, new Episode(ramps.get(last).start(), r, true));
            ramps.add(new Episode(r, Long.MAX_VALUE, false));
        } else if (last >= 0 && ramps.get(last).end() > r - 60) {
            ramps.set(last, new Episode(ramps.get(last).start(), ramps.get(last).end(), true));
        }
        reload(r, true);
        compute(scratch, r);
        zeroTables(scratch, r);
        long[] raw = statusRaw(scratch, r);
        for (int i = 0; i < raw.length; i++) {
            offStatus[i] = -raw[i];
        }
        invalidate();
    }

    private void zeroKif(Kif k, Frame f, long r) {
        for (int j = 0; j < 8; j++) {
            k.offPackets[j] = k.iface < 0 ? 0 : -f.ifPackets[k.iface * 8 + j];
            k.offBytes[j] = k.iface < 0 ? 0 : -f.ifBytes[k.iface * 8 + j];
        }
        k.tzero = epoch(r);
    }

    private void zeroTables(Frame f, long r) {
        if (onTablesZeroing != null) {
            onTablesZeroing.accept(f, r);
        }
        for (int i = 0; i < offTablePackets.length; i++) {
            offTablePackets[i] = -f.tablePackets[i];
            offTableBytes[i] = -f.tableBytes[i];
        }
        for (int i = 0; i < offTableMatch.length; i++) {
            offTableMatch[i] = -f.tableMatch[i];
            offTableNomatch[i] = -f.tableNomatch[i];
            tableTzero[i] = epoch(r);
        }
        if (onTablesZeroed != null) {
            onTablesZeroed.accept(f, r);
        }
    }

    private void zeroQueues(Frame f) {
        for (int q = 0; q < topo.queues.size(); q++) {
            long[] raw = queueRaw(f, q);
            for (int j = 0; j < 4; j++) {
                offQueue[q * 4 + j] = -raw[j];
            }
        }
    }

    private String computeChecksum() {
        // pf_calc_chksum(): MD5 over the main ruleset's rules (what they match, not their counters)
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            Topology.RulesetDef main = topo.rulesets.get(0);
            for (int i = main.firstRule; i < main.firstRule + main.ruleCount; i++) {
                String r = topo.action[i] + "|" + topo.direction[i] + "|" + topo.ifname[i] + "|" + topo.af[i] + "|"
                        + topo.proto[i] + "|" + topo.srcTable[i] + "|" + topo.dstTable[i] + "|" + topo.dstPort[i] + "|"
                        + topo.label[i] + "|" + topo.quick[i] + "\n";
                md5.update(r.getBytes(StandardCharsets.UTF_8));
            }
            if (generation > 0) {
                // each reload loads an edited pf.conf
                md5.update(("# edit " + generation).getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(md5.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no MD5 in this JVM", e);
        }
    }

    // =====================================================================================
    // tickets (pf_open_trans / pf_find_trans / pf_rollback_trans)

    /** A new get-rule transaction on ruleset {@code rs}, or null when the descriptor has too many open. */
    Ticket openTicket(int rs, long[] ticketOut) {
        if (tickets.size() >= MAX_TICKETS) {
            return null;
        }
        Ticket t = new Ticket(rs, versions[rs]);
        long id = nextTicket++;
        tickets.put(id & 0xffff_ffffL, t);
        ticketOut[0] = id & 0xffff_ffffL;
        Topology.RulesetDef def = topo.rulesets.get(rs);
        if (busyNextWalk && def.ruleCount > 0) {
            busyNextWalk = false;
            t.busyAt = def.ruleCount / 2;
        }
        return t;
    }

    // =====================================================================================
    // interfaces

    /** Every kif in the kernel's tree order (by name). */
    List<Kif> kifs() {
        return new ArrayList<>(kifs.values());
    }

    /** A group kif exists while it has a member; pfik_rules counts the rules that name the kif. */
    private void refreshGroups() {
        // a group is skipped when all its members are (set skip on lo)
        Map<String, Boolean> wanted = new TreeMap<>();
        for (Kif k : kifs.values()) {
            if (!k.group) {
                for (String g : k.groups) {
                    wanted.put(g, wanted.getOrDefault(g, true) && k.skip);
                }
            }
        }
        kifs.values().removeIf(k -> k.group && !wanted.containsKey(k.name));
        for (Map.Entry<String, Boolean> g : wanted.entrySet()) {
            if (!kifs.containsKey(g.getKey())) {
                kifs.put(g.getKey(), new Kif(g.getKey(), true, -1, List.of(), g.getValue(), pointer(true)));
            }
        }
        Map<String, Integer> refs = new HashMap<>();
        for (int i = 0; i < topo.rules; i++) {
            if (!topo.ifname[i].isEmpty()) {
                refs.merge(topo.ifname[i], 1, Integer::sum);
            }
        }
        for (Kif k : kifs.values()) {
            k.rules = refs.getOrDefault(k.name, 0);
        }
    }

    /** Members of a group, as the kernel's group filter finds them (interfaces whose groups name it). */
    List<Kif> members(String group) {
        List<Kif> m = new ArrayList<>();
        for (Kif k : kifs.values()) {
            if (!k.group && k.groups.contains(group)) {
                m.add(k);
            }
        }
        return m;
    }

    TrafficCounters counters(Kif k) {
        if (k.group) {
            return TrafficCounters.ZERO;            // the kernel counts on interfaces only
        }
        Frame f = frame();
        long[] p = new long[8];
        long[] b = new long[8];
        for (int j = 0; j < 8; j++) {
            p[j] = (k.iface < 0 ? 0 : f.ifPackets[k.iface * 8 + j]) + k.offPackets[j];
            b[j] = (k.iface < 0 ? 0 : f.ifBytes[k.iface * 8 + j]) + k.offBytes[j];
        }
        return TrafficCounters.of(p, b);
    }

    /** pfik_states: floating states (the default state-policy) all hang off the "all" kif. */
    long states(Kif k) {
        return k.name.equals("all") ? statesTotal() : 0;
    }

    InterfaceCounters interfaceModel(Kif k) {
        return new InterfaceCounters(k.name, k.group, List.of(), k.skip ? InterfaceCounters.PFI_IFLAG_SKIP : 0, k.tzero,
                states(k), k.rules, counters(k));
    }

    /**
     * The interface that vanishes: the last one by name that carries traffic but that no rule names
     * (so the kernel really drops its kif), is not the loginterface and is not skipped.
     */
    void vanish(long r) {
        advanceTo(r);
        Kif victim = null;
        for (Kif k : kifs.values()) {
            boolean candidate = !k.group && !k.skip && k.rules == 0 && !k.name.equals(topo.logInterface)
                    && !k.groups.contains("pflog");
            // the last candidate by name, preferring one that carries traffic
            if (candidate && (victim == null || k.iface >= 0 || victim.iface < 0)) {
                victim = k;
            }
        }
        if (victim == null) {
            return;
        }
        kifs.remove(victim.name);
        vanished.add(victim);
        if (victim.iface >= 0) {
            pauses.get(victim.iface).add(new long[] {r, Long.MAX_VALUE});
        }
        refreshGroups();
        invalidate();
    }

    /** The last vanished interface comes back with a new kif; if none vanished, a new VLAN appears. */
    void appear(long r) {
        advanceTo(r);
        Kif k;
        if (!vanished.isEmpty()) {
            Kif old = vanished.remove(vanished.size() - 1);
            k = new Kif(old.name, false, old.iface, old.groups, old.skip, pointer(false));
            if (old.iface >= 0) {
                List<long[]> p = pauses.get(old.iface);
                p.get(p.size() - 1)[1] = r;
            }
            invalidate();
            compute(scratch, r);
            zeroKif(k, scratch, r);
        } else {
            int vlan = 400 + 100 * appeared++;
            while (kifs.containsKey("vlan" + vlan)) {
                vlan += 100;
            }
            k = new Kif("vlan" + vlan, false, -1, List.of("all", "vlan"), false, pointer(false));
        }
        k.tzero = 0;
        kifs.put(k.name, k);
        refreshGroups();
        invalidate();
    }

    // =====================================================================================
    // state table and status

    void startRamp(long r) {
        advanceTo(r);
        int last = ramps.size() - 1;
        if (last < 0 || ramps.get(last).end() != Long.MAX_VALUE) {
            ramps.add(new Episode(r, Long.MAX_VALUE, false));
            invalidate();
        }
    }

    void endRamp(long r) {
        advanceTo(r);
        int last = ramps.size() - 1;
        if (last >= 0 && ramps.get(last).end() == Long.MAX_VALUE) {
            ramps.set(last, new Episode(ramps.get(last).start(), Math.max(r, ramps.get(last).start()), false));
            invalidate();
        }
    }

    private long stateLimit() {
        return limits[PfLimit.STATES.ordinal()];
    }

    /** States the ramp holds at t (before the limit caps them). */
    private long rampStates(long t) {
        long sum = 0;
        long limit = stateLimit();
        for (Episode e : ramps) {
            if (t < e.start()) {
                continue;
            }
            long x = Math.min(t, e.end()) - e.start();
            long rising = (long) (limit * Math.min(1.0, (double) x / RAMP_SECONDS));
            if (t >= e.end()) {
                // cleared: the attack's states expire within a minute; a flush drops them at once
                rising = e.flushed() ? 0 : (long) (rising * Math.max(0.0, 1 - (t - e.end()) / 60.0));
            }
            sum += rising;
        }
        return sum;
    }

    private long rampInserts(long t) {
        long sum = 0;
        long limit = stateLimit();
        for (Episode e : ramps) {
            if (t >= e.start()) {
                sum += (long) (limit * Math.min(1.0, (double) (Math.min(t, e.end()) - e.start()) / RAMP_SECONDS));
            }
        }
        return sum;
    }

    /** Seconds in [start + after, min(t, end)) summed over the episodes. */
    private long rampSeconds(long t, long after) {
        long sum = 0;
        for (Episode e : ramps) {
            sum += Math.max(0, Math.min(t, e.end()) - (e.start() + after));
        }
        return sum;
    }

    private boolean syncookiesActive(long t) {
        for (Episode e : ramps) {
            if (t >= e.start() + SYNCOOKIE_AFTER && t < e.end()) {
                return true;
            }
        }
        return false;
    }

    long statesTotal() {
        Frame f = frame();
        return Math.min(stateLimit(), f.states() + rampStates(f.tau));
    }

    private static final int STATUS_COUNTERS = 17 + 10 + 3 + 3 + 3;

    /** counters[17], lcounters[10], fcounters[3], scounters[3], ncounters[3], before offsets. */
    private long[] statusRaw(Frame f, long t) {
        long[] v = new long[STATUS_COUNTERS];
        long packets = f.totalPackets;
        long limit = stateLimit();
        double attackRate = (double) limit / RAMP_SECONDS;
        long base = f.states();
        long states = Math.min(limit, base + rampStates(t));
        long inserts = f.totalConnections + rampInserts(t);
        v[Reason.MATCH.ordinal()] = f.evaluations[0];
        v[Reason.FRAGMENT.ordinal()] = (long) (packets * 3e-6);
        v[Reason.SHORT.ordinal()] = (long) (packets * 1e-6);
        v[Reason.NORMALIZE.ordinal()] = (long) (packets * 4e-6);
        v[Reason.BAD_TIMESTAMP.ordinal()] = (long) (packets * 2e-7);
        v[Reason.IP_OPTION.ordinal()] = (long) (packets * 1e-7);
        v[Reason.PROTO_CKSUM.ordinal()] = (long) (packets * 5e-7);
        v[Reason.STATE_MISMATCH.ordinal()] = (long) (packets * 2e-5);
        v[Reason.STATE_INSERT.ordinal()] = (long) (packets * 1e-7);
        v[Reason.STATE_LIMIT.ordinal()] = (long) (rampSeconds(t, RAMP_SECONDS) * attackRate);
        v[Reason.NO_ROUTE.ordinal()] = (long) (packets * 1e-8);
        int l = 17;
        long cookies = (long) (rampSeconds(t, SYNCOOKIE_AFTER) * attackRate);
        v[l + LimitCounter.SYNFLOODS.ordinal()] = syncookieEpisodes(t);
        v[l + LimitCounter.SYNCOOKIES_SENT.ordinal()] = cookies;
        v[l + LimitCounter.SYNCOOKIES_VALID.ordinal()] = cookies / 25;
        int fc = l + 10;
        v[fc + TableOperation.SEARCH.ordinal()] = packets + rampInserts(t);
        v[fc + TableOperation.INSERT.ordinal()] = inserts;
        v[fc + TableOperation.REMOVAL.ordinal()] = inserts - states;
        int sc = fc + 3;
        v[sc + TableOperation.SEARCH.ordinal()] = f.totalConnections + f.totalConnections / 2;
        v[sc + TableOperation.INSERT.ordinal()] = sourceNodes.inserts(f);
        v[sc + TableOperation.REMOVAL.ordinal()] = sourceNodes.inserts(f) - sourceNodes.count(f);
        int nc = sc + 3;
        v[nc + TableOperation.SEARCH.ordinal()] = f.fragmentsIn * 3;
        v[nc + TableOperation.INSERT.ordinal()] = f.fragmentsIn;
        v[nc + TableOperation.REMOVAL.ordinal()] = f.fragmentsDone;
        return v;
    }

    private long syncookieEpisodes(long t) {
        long n = 0;
        for (Episode e : ramps) {
            if (t >= e.start() + SYNCOOKIE_AFTER && e.end() > e.start() + SYNCOOKIE_AFTER) {
                n++;
            }
        }
        return n;
    }

    /** struct pf_status as DIOCGETSTATUS fills it, with the DIOCGETSYNFLWATS watermarks. */
    Status status() {
        Frame f = frame();
        long t = f.tau;
        long[] raw = statusRaw(f, t);
        long[] v = new long[raw.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = raw[i] + offStatus[i];
        }
        long base = f.states();
        long states = statesTotal();
        long halfopen = base * 3 / 100 + (states - Math.min(states, base)) / 2;
        boolean cookies = syncookiesActive(t);
        long[] inflight = cookies ? new long[] {halfopen / 10, halfopen / 12} : new long[2];
        // pfi_update_status(): the loginterface's pcounters/bcounters are its kif's counters, read now
        long[] p = new long[8];
        long[] b = new long[8];
        Kif log = kifs.get(topo.logInterface);
        List<Kif> logMembers = log == null ? List.of() : log.group ? members(log.name) : List.of(log);
        for (Kif k : logMembers) {
            TrafficCounters c = counters(k);
            long[] kp = c.packetsArray();
            long[] kb = c.bytesArray();
            for (int af = 0; af < 2; af++) {
                for (int dir = 0; dir < 2; dir++) {
                    int i = af * 4 + dir * 2;
                    p[i] += kp[i];
                    p[i + 1] += kp[i + 1];
                    b[i] += kb[i] + kb[i + 1];   // bcounters[af][dir] adds both actions
                }
            }
        }
        long srcNodes = sourceNodes.count(f);
        long fragments = f.fragmentsIn - f.fragmentsDone;
        return new Status(
                true,
                sinceUptime,
                3,                                   // LOG_ERR, the default debug level
                hostid,
                1,                                   // PF_REASS_ENABLED
                stateidBase + f.totalConnections + rampInserts(t),
                states,
                halfopen,
                srcNodes,
                fragments,
                cookies,
                SyncookieMode.ADAPTIVE,
                inflight,
                EnumCounters.of(Reason.class, Arrays.copyOfRange(v, 0, 17)),
                EnumCounters.of(LimitCounter.class, Arrays.copyOfRange(v, 17, 27)),
                EnumCounters.of(TableOperation.class, Arrays.copyOfRange(v, 27, 30)),
                EnumCounters.of(TableOperation.class, Arrays.copyOfRange(v, 30, 33)),
                EnumCounters.of(TableOperation.class, Arrays.copyOfRange(v, 33, 36)),
                new LogInterface(log == null ? "" : topo.logInterface, TrafficCounters.of(p, b)),
                checksum,
                hiwat,
                lowat);
    }

    Limits limitsModel() {
        return new Limits(EnumCounters.of(PfLimit.class, limits));
    }

    Timeouts timeoutsModel() {
        return new Timeouts(EnumCounters.of(PfTimeout.class, timeouts));
    }

    // =====================================================================================
    // tables and queues

    TableStats table(int i) {
        return table(frame(), i);
    }

    /** Table {@code i}'s counters as the frame {@code f} has them. */
    TableStats table(Frame f, int i) {
        Topology.TableDef d = topo.tables.get(i);
        long[] p = new long[8];
        long[] b = new long[8];
        for (int j = 0; j < 8; j++) {
            p[j] = f.tablePackets[i * 8 + j] + offTablePackets[i * 8 + j];
            b[j] = f.tableBytes[i * 8 + j] + offTableBytes[i * 8 + j];
        }
        int refs = topo.tableRefs[i];
        int flags = d.flags() | TableStats.PFR_TFLAG_ACTIVE | (refs > 0 ? TableStats.PFR_TFLAG_REFERENCED : 0);
        return new TableStats(d.anchor(), d.name(), flags, d.addresses(), f.tableMatch[i] + offTableMatch[i],
                f.tableNomatch[i] + offTableNomatch[i], p, b, tableTzero[i], refs, 0);
    }

    /** Indices of the tables DIOCRGETTSTATS returns for an anchor, or every table with PFR_FLAG_ALLRSETS. */
    List<Integer> tables(String anchor, boolean all) {
        List<Integer> l = new ArrayList<>();
        for (int i = 0; i < topo.tables.size(); i++) {
            if (all || topo.tables.get(i).anchor().equals(anchor)) {
                l.add(i);
            }
        }
        return l;
    }

    private long[] queueRaw(Frame f, int q) {
        Topology.QueueDef d = topo.queues.get(q);
        long out = f.queuePackets[q];
        long outBytes = f.queueBytes[q];
        long dropped = (long) (out * d.dropRate());
        long droppedBytes = (long) (outBytes * d.dropRate());
        return new long[] {out - dropped, outBytes - droppedBytes, dropped, droppedBytes};
    }

    QueueStats queue(int q) {
        Frame f = frame();
        Topology.QueueDef d = topo.queues.get(q);
        long[] raw = queueRaw(f, q);
        long[] v = new long[4];
        for (int j = 0; j < 4; j++) {
            v[j] = raw[j] + offQueue[q * 4 + j];
        }
        QueueStats.Kind kind = QueueStats.kindOf(d.flags(), d.parentQid());
        double shape = traffic.rate(q % TrafficModel.PROFILES, f.tau);
        boolean leaf = f.queuePackets[q] > 0 || kind == QueueStats.Kind.FQ_CODEL;
        long length = leaf ? Math.min(d.qlimit(), (long) (d.qlimit() * 0.04 * shape * shape * shape)) : 0;
        long flows = 0;
        if (kind == QueueStats.Kind.FQ_CODEL) {
            int iface = ifaceIndex(d.ifname());
            long statesThere = iface < 0 ? 0 : f.ifStates[iface];
            flows = Math.min(d.flows(), Math.max(length > 0 ? 1 : 0, statesThere / 40));
        }
        return new QueueStats(d.name(), d.parent(), d.ifname(), d.qid(), d.parentQid(), d.flags(), kind, d.bandwidth(),
                v[0], v[1], v[2], v[3], length, d.qlimit(), flows);
    }

    private int ifaceIndex(String name) {
        for (int i = 0; i < topo.interfaces.size(); i++) {
            if (topo.interfaces.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    // =====================================================================================
    // ground truth

    GroundTruth groundTruth() {
        Frame f = frame();
        long[] counted = new long[labelIndex.size() * 4];
        for (int i = 0; i < topo.rules; i++) {
            int l = ruleLabel[i];
            if (l >= 0) {
                counted[l * 4] += f.packetsIn[i];
                counted[l * 4 + 1] += f.packetsOut[i];
                counted[l * 4 + 2] += f.bytesIn[i];
                counted[l * 4 + 3] += f.bytesOut[i];
            }
        }
        Map<LabelKey, GroundTruth.Totals> m = new LinkedHashMap<>();
        for (Map.Entry<LabelKey, Integer> e : labelIndex.entrySet()) {
            int l = e.getValue();
            m.put(e.getKey(), new GroundTruth.Totals(
                    new GroundTruth.Counts(counted[l * 4], counted[l * 4 + 1], counted[l * 4 + 2], counted[l * 4 + 3]),
                    new GroundTruth.Counts(discarded[l * 4], discarded[l * 4 + 1], discarded[l * 4 + 2], discarded[l * 4 + 3])));
        }
        return new GroundTruth(m);
    }

    private SimStates states;

    /** The state table (DIOCGETSTATES). */
    SimStates states() {
        if (states == null) {
            states = new SimStates(this);
        }
        return states;
    }

    /** The release whose ABI the kernel speaks now (ABI_MISMATCH swaps 7.8 and the newer layout). */
    AbiRelease release() {
        AbiRelease r = config.kernelRelease();
        if (!abiMismatch) {
            return r;
        }
        return r == AbiRelease.V7_8 ? AbiRelease.V8_0 : AbiRelease.V7_8;
    }
}
