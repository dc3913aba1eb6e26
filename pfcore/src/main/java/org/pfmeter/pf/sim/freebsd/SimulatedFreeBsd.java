package org.pfmeter.pf.sim.freebsd;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.pfmeter.pf.abi.FreeBsdRelease;
import org.pfmeter.pf.abi.PfDevice;
import org.pfmeter.pf.abi.netlink.NetlinkSocket;
import org.pfmeter.pf.abi.netlink.PfNl;
import org.pfmeter.pf.sim.Fault;
import org.pfmeter.pf.sim.FaultSchedule;
import org.pfmeter.pf.sim.GroundTruth;
import org.pfmeter.pf.sim.SimClock;
import org.pfmeter.pf.sim.SimConfig;
import org.pfmeter.pf.sim.SimKernelView;
import org.pfmeter.pf.sim.SimScale;
import org.pfmeter.pf.sim.SimulatedPf;

/**
 * A simulated FreeBSD pf, netlink side: the generic netlink family "pfctl" answering with the bytes
 * FreeBSD's kernel writes (message and generic headers, attribute padding, NLM_F_MULTI dumps ended by
 * NLMSG_DONE or the ACK as pf_nl.c ends each, NLMSG_ERROR with FreeBSD's positive errno and the
 * echoed request, sequence numbers and the socket's port echoed), over the same seeded traffic
 * model, topology and ground truth as the OpenBSD simulator ({@link SimulatedPf}): the same seed and
 * the same simulated times give the same traffic.
 *
 * <pre>
 * SimulatedFreeBsd pf = new SimulatedFreeBsd(1, SimScale.SMALL, FreeBsdRelease.FREEBSD_15_0, SimClock.manual(start));
 * FreeBsdPfReader reader = new FreeBsdPfReader(pf.netlink(), pf.clock());
 * pf.advance(Duration.ofHours(1));
 * PfSnapshot s = reader.poll();
 * GroundTruth truth = pf.groundTruth();          // per (anchor, label); a two-label rule counts in both
 * pf.inject(FreeBsdFault.RELOAD_MID_DUMP);       // or Fault.RULESET_RELOAD, FaultSchedule …
 * pf.register(new FreeBsdNlCommand(PfNl.Cmd.PFNL_CMD_GETSTATES, "GETSTATES", FreeBsdNlCommand.DO_READ, true, handler));
 * </pre>
 *
 * <p>Commands are a map from number to {@link FreeBsdNlCommand} (name, flags, privilege, handler);
 * {@link #register} adds or replaces one (it then appears in the family's operation list),
 * {@link #removeCommand} takes one away (a kernel without it: EOPNOTSUPP). Thread-safe: one request
 * at a time, as the kernel's per-socket task handles them.
 */
public final class SimulatedFreeBsd {

    /** {@code genl_register_family(PFNL_FAMILY_NAME, 0, 2, PFNL_CMD_MAX)}: hdrsize 0, version 2. */
    static final int PFNL_FAMILY_VERSION = 2;
    /** PFNL_CMD_MAX on main (__PFNL_CMD_MAX - 1), the family's maxattr. */
    static final int PFNL_CMD_MAX_MAIN = 47;

    /** pf_cmds[].cmd_name of commands 1-37, as pf_nl.c registers them. */
    static final List<String> CMD_NAMES = List.of("GETSTATES", "GETCREATORS", "START", "STOP", "ADDRULE", "GETRULES",
            "GETRULE", "CLRSTATES", "KILLSTATES", "SETSTATUSIF", "GETSTATUS", "CLEARSTATUS", "NATLOOK", "SET_DEBUG",
            "SET_TIMEOUT", "GET_TIMEOUT", "SET_LIMIT", "GET_LIMIT", "BEGIN_ADDRS", "ADD_ADDR", "GET_ADDRS", "GET_ADDRS",
            "GET_RULESETS", "GET_RULESET", "GET_SRCNODES", "CLEAR_TABLES", "ADD_TABLE", "DEL_TABLE", "GET_TSTATS",
            "CLR_TSTATS", "CRL_ADDRS", "TABLE_ADD_ADDRS", "TABLE_DEL_ADDRS", "TABLE_SET_ADDRS", "TABLE_GET_ADDRS",
            "TABLE_GET_ASTATS", "TABLE_CLEAR_ASTATS");

    /** pf_cmds[].cmd_flags: DO|DUMP|HASPOL, DO|HASPOL (changes) or DUMP|HASPOL (reads). */
    static int flags(int cmd) {
        return switch (cmd) {
            case 1, 2, 5, 8, 9, 19 -> FreeBsdNlCommand.DO_READ;
            case 3, 4, 10, 12, 14, 15, 17, 20, 26, 27, 28, 30, 31, 32, 33, 34, 37 -> FreeBsdNlCommand.WRITE;
            default -> FreeBsdNlCommand.READ;
        };
    }

    private final FreeBsdRelease release;
    private final SimulatedRelease profile;
    private final SimulatedPf pf;
    private final SimKernelView kernel;
    private final FreeBsdRuleLabels labels;
    private final FreeBsdGenl genl = new FreeBsdGenl();
    private final FreeBsdGenl.Family family;
    private final Set<FreeBsdFault> faults = EnumSet.noneOf(FreeBsdFault.class);
    private long nextPort;
    private PfDevice device;

    /**
     * @param config seed, scale, counter start and names as for the OpenBSD simulator (its kernel
     *               release is not used: {@code release} says what this kernel is)
     */
    public SimulatedFreeBsd(SimConfig config, FreeBsdRelease release, SimClock clock) {
        this.release = release;
        this.profile = SimulatedRelease.of(release);
        this.pf = new SimulatedPf(config, clock);
        this.kernel = new SimKernelView(pf);
        this.labels = new FreeBsdRuleLabels(kernel, config.seed());
        this.family = new FreeBsdGenl.Family(PfNl.PFNL_FAMILY_NAME, profile.familyId(), PFNL_FAMILY_VERSION, 0,
                release == FreeBsdRelease.FREEBSD_15_0 ? PFNL_CMD_MAX_MAIN : profile.commands().size());
        this.nextPort = 40_000 + Long.remainderUnsigned(config.seed(), 20_000);
        FreeBsdPfHandlers h = new FreeBsdPfHandlers(this);
        FreeBsdRuleHandlers rules = new FreeBsdRuleHandlers(this);
        Set<Integer> has = profile.commands();
        for (FreeBsdNlCommand c : List.of(
                new FreeBsdNlCommand(PfNl.Cmd.PFNL_CMD_GETRULES, "GETRULES", FreeBsdNlCommand.READ, true, rules::getRules),
                new FreeBsdNlCommand(PfNl.Cmd.PFNL_CMD_GETRULE, "GETRULE", FreeBsdNlCommand.READ, true, rules::getRule),
                new FreeBsdNlCommand(PfNl.Cmd.PFNL_CMD_GET_STATUS, "GETSTATUS", FreeBsdNlCommand.READ, true, h::getStatus),
                new FreeBsdNlCommand(PfNl.Cmd.PFNL_CMD_GET_TIMEOUT, "GET_TIMEOUT", FreeBsdNlCommand.READ, true, h::getTimeout),
                new FreeBsdNlCommand(PfNl.Cmd.PFNL_CMD_GET_LIMIT, "GET_LIMIT", FreeBsdNlCommand.READ, true, h::getLimit),
                new FreeBsdNlCommand(PfNl.Cmd.PFNL_CMD_GET_RULESETS, "GET_RULESETS", FreeBsdNlCommand.READ, true, h::getRulesets),
                new FreeBsdNlCommand(PfNl.Cmd.PFNL_CMD_GET_RULESET, "GET_RULESET", FreeBsdNlCommand.READ, true, h::getRuleset),
                new FreeBsdNlCommand(PfNl.Cmd.PFNL_CMD_GET_SRCNODES, "GET_SRCNODES", FreeBsdNlCommand.READ, true, h::getSrcnodes),
                new FreeBsdNlCommand(PfNl.Cmd.PFNL_CMD_GET_TSTATS, "GET_TSTATS", FreeBsdNlCommand.READ, true, h::getTstats))) {
            if (has.contains(c.cmd())) {
                family.commands.put(c.cmd(), c);
            }
        }
        FreeBsdSimStates states = new FreeBsdSimStates(pf, config.kernelRelease());
        if (has.contains(PfNl.Cmd.PFNL_CMD_GETSTATES)) {
            family.commands.put(PfNl.Cmd.PFNL_CMD_GETSTATES, new FreeBsdNlCommand(PfNl.Cmd.PFNL_CMD_GETSTATES,
                    "GETSTATES", flags(PfNl.Cmd.PFNL_CMD_GETSTATES), true, (r, w) -> {
                        w.complete(states.answer(r.message(), (int) r.pid()));
                        return 0;
                    }));
        }
        // the release's other commands (writes, tables …): registered, answered EOPNOTSUPP
        // until a handler is registered for them (see register)
        for (int cmd : has) {
            family.commands.putIfAbsent(cmd, new FreeBsdNlCommand(cmd, CMD_NAMES.get(cmd - 1), flags(cmd), true,
                    (r, w) -> org.pfmeter.pf.abi.netlink.FreeBsdErrno.EOPNOTSUPP));
        }
        genl.register(family);
    }

    /** The usual names, counters from zero. */
    public SimulatedFreeBsd(long seed, SimScale scale, FreeBsdRelease release, SimClock clock) {
        this(new SimConfig(seed, org.pfmeter.pf.abi.AbiRelease.V8_0, scale), release, clock);
    }

    /** A new netlink socket on this kernel (each has its own port and answer queue). */
    public synchronized NetlinkSocket netlink() {
        return new FreeBsdNlSocket(this, nextPort++);
    }

    /**
     * This kernel's /dev/pf: the binary ioctls (DIOCIGETIFACES, ALTQ, DIOCRGETTSTATS) answered from the
     * same traffic as the netlink side. One device per kernel.
     */
    public synchronized PfDevice device() {
        if (device == null) {
            device = new FreeBsdSimIoctl(new FreeBsdSimIoctlTraffic(pf), release.version() + "-RELEASE");
        }
        return device;
    }

    /** When the simulated host booted. */
    public Optional<Instant> bootTime() {
        return pf.bootTime();
    }

    public FreeBsdRelease release() {
        return release;
    }

    /** What this simulator speaks for its release. */
    public SimulatedRelease profile() {
        return profile;
    }

    /** The "pfctl" family's id on this kernel. */
    public int familyId() {
        return family.id;
    }

    public SimClock clock() {
        return pf.clock();
    }

    /** Convenience for manual clocks: advance the clock by {@code d}. */
    public void advance(Duration d) {
        pf.advance(d);
    }

    /** The shared simulated kernel (rules, status, tables …) other FreeBSD handlers read from. */
    public SimKernelView kernel() {
        return kernel;
    }

    /** The labels rule {@code i} carries on FreeBSD (at most 5; some rules have two). */
    public List<String> ruleLabels(int i) {
        return labels.labels(i);
    }

    /** The rule identifier rule {@code i} carries on FreeBSD. */
    public long ridentifier(int i) {
        return labels.ridentifier(i);
    }

    FreeBsdRuleLabels labels() {
        return labels;
    }

    /**
     * What the rules counted per (anchor, label) and what resets discarded before a GETRULE returned
     * it; a rule with several labels counts its whole traffic under each (see {@link FreeBsdRuleLabels}).
     */
    public GroundTruth groundTruth() {
        return kernel.groundTruth(labels::labels);
    }

    /** A kernel-wide fault of the shared simulator (reload, zeroed counters, pf restart, state ramp …). */
    public void inject(Fault fault) {
        pf.inject(fault);
    }

    public void schedule(FaultSchedule faults) {
        pf.schedule(faults);
    }

    public synchronized void inject(FreeBsdFault fault) {
        faults.add(fault);
        if (fault == FreeBsdFault.FAMILY_MISSING) {
            genl.unregister(family.id);
        }
    }

    public synchronized void clear(FreeBsdFault fault) {
        faults.remove(fault);
        if (fault == FreeBsdFault.FAMILY_MISSING) {
            genl.register(family);
        }
    }

    /**
     * Adds or replaces a command of the "pfctl" family: it is listed in the operations from the next
     * CTRL_CMD_GETFAMILY on and answered by its handler (the integrator's hook for GETSTATES and the
     * limiter commands).
     */
    public synchronized void register(FreeBsdNlCommand command) {
        family.commands.put(command.cmd(), command);
    }

    /**
     * The fault "command not supported": the kernel no longer has this command. A reader that
     * resolved the family before still sends it and gets EOPNOTSUPP; one resolving afterwards does
     * not find it in the operations.
     */
    public synchronized void removeCommand(int cmd) {
        family.commands.remove(cmd);
    }

    /** The "pfctl" family's commands, by number. */
    public synchronized Map<Integer, FreeBsdNlCommand> commands() {
        return new LinkedHashMap<>(family.commands);
    }

    // ---- for the socket and the handlers

    synchronized List<byte[]> process(byte[] datagram, FreeBsdNlSocket socket) {
        return new ArrayList<>(genl.process(datagram, socket));
    }

    synchronized boolean privileged() {
        return !faults.contains(FreeBsdFault.EPERM);
    }

    /**
     * PF_GS_SINCE as pf_handle_get_status computes it, {@code time_second - (time_uptime - since)}:
     * the start in wall-clock seconds, one more on the seconds where the two clocks' ticks fall apart
     * (a seeded eighth of them).
     */
    long sinceWallClock() {
        long now = kernel.nowEpoch();
        long jitter = ((now * 0x9e37_79b9L) >>> 16 & 7) == 0 ? 1 : 0;
        return kernel.bootEpoch() + kernel.sinceUptime() + jitter;
    }

    /** RELOAD_MID_DUMP: commits a new ruleset now, once, after {@code before}. */
    synchronized void reloadIfArmed(Runnable before) {
        if (faults.remove(FreeBsdFault.RELOAD_MID_DUMP)) {
            before.run();
            pf.inject(Fault.RULESET_RELOAD);
        }
    }

    /** The wall-clock start the status reports without jitter (tests). */
    public long since() {
        return kernel.bootEpoch() + kernel.sinceUptime();
    }

    @Override
    public String toString() {
        return "simulated FreeBSD pf (" + release.id() + ", family id " + family.id + ")";
    }
}
