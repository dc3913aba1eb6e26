package org.pfmeter.pf;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.pfmeter.pf.abi.MalformedAnswerException;
import org.pfmeter.pf.abi.PfDevice;
import org.pfmeter.pf.abi.PfDeviceException;
import org.pfmeter.pf.abi.PfIoctlException;
import org.pfmeter.pf.abi.PfProtocol;
import org.pfmeter.pf.abi.freebsd.FreeBsdPfProtocol;
import org.pfmeter.pf.abi.netlink.FreeBsdErrno;
import org.pfmeter.pf.abi.netlink.GenlFamily;
import org.pfmeter.pf.abi.netlink.NetlinkMessage;
import org.pfmeter.pf.abi.netlink.NetlinkSocket;
import org.pfmeter.pf.abi.netlink.PfNl;
import org.pfmeter.pf.abi.netlink.PfnlClient;
import org.pfmeter.pf.abi.netlink.PfnlException;
import org.pfmeter.pf.abi.netlink.PfnlLimiterWalk;
import org.pfmeter.pf.abi.netlink.PfnlRule;
import org.pfmeter.pf.abi.netlink.PfnlRules;
import org.pfmeter.pf.abi.netlink.PfnlRulesets;
import org.pfmeter.pf.abi.netlink.PfnlScalars;
import org.pfmeter.pf.abi.netlink.PfnlSourceNodes;
import org.pfmeter.pf.abi.netlink.PfnlStatus;
import org.pfmeter.pf.abi.netlink.PfnlTables;
import org.pfmeter.pf.model.EnumCounters;
import org.pfmeter.pf.model.InterfaceCounters;
import org.pfmeter.pf.model.Limits;
import org.pfmeter.pf.model.NamedCounters;
import org.pfmeter.pf.model.PfError;
import org.pfmeter.pf.model.PfSnapshot;
import org.pfmeter.pf.model.PfTimeout;
import org.pfmeter.pf.model.QueueStats;
import org.pfmeter.pf.model.RuleCounters;
import org.pfmeter.pf.model.Rules;
import org.pfmeter.pf.model.SourceNodes;
import org.pfmeter.pf.model.Status;
import org.pfmeter.pf.model.SubsystemResult;
import org.pfmeter.pf.model.TableStats;
import org.pfmeter.pf.model.Timeouts;

/**
 * One poll of FreeBSD's pf (FreeBSD 14/15, pfSense, OPNsense) over generic netlink = one immutable
 * {@link PfSnapshot}, as {@link PfReader} does for OpenBSD's ioctls. The family "pfctl" is resolved
 * by name (CTRL_CMD_GETFAMILY) at the first poll and again after a poll that could not resolve it;
 * its operation list says which commands this kernel has. A subsystem whose command the kernel lacks
 * is not present (not an error); one the reader does not read over netlink yet (pfsync, a sysctl) is
 * not present with a reason saying so. Interfaces and ALTQ queues are binary ioctls on /dev/pf, read
 * through the optional {@link PfDevice} ({@link FreeBsdPfProtocol}); so are the table statistics of a
 * kernel whose family lacks PFNL_CMD_GET_TSTATS (DIOCRGETTSTATS). Without a device they are not present.
 *
 * <p>Errnos are FreeBSD's: EPERM/EACCES (no PRIV_NETINET_PF) is a permission error, EOPNOTSUPP (an
 * unknown command) means not present, EBUSY after the retries a busy ruleset; an answer that cannot
 * be decoded is malformed. {@code since} is held steady within its second of jitter ({@link SteadySince}).
 */
public final class FreeBsdPfReader implements PfSnapshotReader {

    /** What {@link PfSnapshot#abiRelease} says for a snapshot read by this reader. */
    public static final String ABI = "freebsd-netlink";

    private static final String GETFAMILY = "CTRL_CMD_GETFAMILY";
    private static final int PF_PASS = 0;           // the filter ruleset, named by its action as pfctl does

    private final PfnlClient client;
    private final FreeBsdPfProtocol ioctls;             // null: no /dev/pf given
    private final Clock clock;
    private final int busyAttempts;
    private final SourceNodeOptions sourceNodes;
    private final int sourceTop;
    private final SteadySince since = new SteadySince();
    private GenlFamily family;

    public FreeBsdPfReader(NetlinkSocket socket, Clock clock) {
        this(socket, clock, PfProtocol.DEFAULT_BUSY_ATTEMPTS, SourceNodeOptions.DEFAULT);
    }

    public FreeBsdPfReader(NetlinkSocket socket, Clock clock, int busyAttempts, SourceNodeOptions sourceNodes) {
        this(socket, null, clock, busyAttempts, sourceNodes, PfReader.DEFAULT_SOURCE_TOP);
    }

    /** @param sourceTop address entries kept per source limiter (the most states in use first) */
    public FreeBsdPfReader(NetlinkSocket socket, Clock clock, int busyAttempts, SourceNodeOptions sourceNodes,
            int sourceTop) {
        this(socket, null, clock, busyAttempts, sourceNodes, sourceTop);
    }

    /**
     * A reader with /dev/pf beside the netlink socket, for the binary ioctls (interfaces, ALTQ,
     * DIOCRGETTSTATS); {@code device} may be null, then those subsystems are not present.
     */
    public FreeBsdPfReader(NetlinkSocket socket, PfDevice device, Clock clock, int busyAttempts,
            SourceNodeOptions sourceNodes) {
        this(socket, device, clock, busyAttempts, sourceNodes, PfReader.DEFAULT_SOURCE_TOP);
    }

    /** @param sourceTop address entries kept per source limiter (the most states in use first) */
    public FreeBsdPfReader(NetlinkSocket socket, PfDevice device, Clock clock, int busyAttempts,
            SourceNodeOptions sourceNodes, int sourceTop) {
        if (sourceTop < 0) {
            throw new IllegalArgumentException("sourceTop must be at least 0, got " + sourceTop);
        }
        this.sourceTop = sourceTop;
        if (busyAttempts < 1) {
            throw new IllegalArgumentException("busyAttempts must be at least 1, got " + busyAttempts);
        }
        this.client = new PfnlClient(socket);
        this.ioctls = device == null ? null : new FreeBsdPfProtocol(device, busyAttempts);
        this.clock = clock;
        this.busyAttempts = busyAttempts;
        this.sourceNodes = sourceNodes;
    }

    /** Reads every subsystem once. Never throws for a pf error: those are in the snapshot. */
    @Override
    public synchronized PfSnapshot poll() {
        Instant start = clock.instant();
        long t0 = System.nanoTime();
        SubsystemResult<GenlFamily> fam = resolve();
        if (!fam.isOk()) {
            PfError e = fam.error().orElseThrow();
            SubsystemResult<List<InterfaceCounters>> ifs = interfaces();
            SubsystemResult<List<QueueStats>> qs = queues();
            return new PfSnapshot(start, Duration.ofNanos(System.nanoTime() - t0), ABI, SubsystemResult.failed(e),
                    SubsystemResult.failed(e), SubsystemResult.failed(e), ifs,
                    SubsystemResult.failed(e), SubsystemResult.failed(e), qs,
                    SubsystemResult.failed(e), SubsystemResult.failed(e), SubsystemResult.failed(e),
                    notYet("pfsync statistics (net.pfsync.stats)"), SubsystemResult.notPresent(NO_ADDRESS_TABLES));
        }
        GenlFamily f = fam.value().orElseThrow();
        SubsystemResult<Status> status = read(f, PfNl.Cmd.PFNL_CMD_GET_STATUS, () -> readStatus(f));
        SubsystemResult<Limits> limits = read(f, PfNl.Cmd.PFNL_CMD_GET_LIMIT, () -> readLimits(f));
        SubsystemResult<Timeouts> timeouts = read(f, PfNl.Cmd.PFNL_CMD_GET_TIMEOUT, () -> readTimeouts(f));
        SubsystemResult<Rules> rules = read(f, PfNl.Cmd.PFNL_CMD_GETRULE, () -> readRules(f));
        SubsystemResult<List<InterfaceCounters>> interfaces = interfaces();
        SubsystemResult<List<TableStats>> tables = read(f, PfNl.Cmd.PFNL_CMD_GET_TSTATS, () -> readTables(f));
        if (tables.isNotPresent() && ioctls != null) {
            tables = ioctl(ioctls::readTables);     // no GET_TSTATS (not listed, or EOPNOTSUPP): DIOCRGETTSTATS
        }
        SubsystemResult<List<QueueStats>> queues = queues();
        List<RuleCounters> ruleList = rules.value().map(Rules::rules).orElse(List.of());
        SubsystemResult<SourceNodes> nodes = read(f, PfNl.Cmd.PFNL_CMD_GET_SRCNODES, () -> readSourceNodes(f, ruleList));
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        return new PfSnapshot(start, took, ABI, status, limits, timeouts, interfaces, rules,
                tables, queues, nodes,
                limiters(f, "state", () -> limiterWalk(f).stateLimiters(), PfNl.Cmd.PFNL_CMD_STATE_LIMITER_NGET),
                limiters(f, "source", () -> limiterWalk(f).sourceLimiters(sourceTop),
                        PfNl.Cmd.PFNL_CMD_SOURCE_LIMITER_NGET, PfNl.Cmd.PFNL_CMD_SOURCE_NGET),
                notYet("pfsync statistics (net.pfsync.stats)"), SubsystemResult.notPresent(NO_ADDRESS_TABLES));
    }

    /** The family as the last successful resolution found it; empty before. */
    public synchronized java.util.Optional<GenlFamily> family() {
        return java.util.Optional.ofNullable(family);
    }

    static final String NO_ADDRESS_TABLES = "no table named in tables.address-counters";

    private static <T> SubsystemResult<T> notYet(String what) {
        return SubsystemResult.notPresent("pfmeter does not read " + what + " on FreeBSD yet");
    }

    static final String NO_DEVICE = "no /dev/pf descriptor was given to the FreeBSD reader (";

    private SubsystemResult<List<InterfaceCounters>> interfaces() {
        return ioctls == null ? SubsystemResult.notPresent(NO_DEVICE + "interfaces are read with DIOCIGETIFACES)")
                : ioctl(ioctls::readInterfaces);
    }

    /** ALTQ: a kernel built without it (ENODEV) has no queues to report, which is not an error. */
    private SubsystemResult<List<QueueStats>> queues() {
        if (ioctls == null) {
            return SubsystemResult.notPresent(NO_DEVICE + "ALTQ queues are read with DIOCGETALTQSV1)");
        }
        SubsystemResult<java.util.Optional<List<QueueStats>>> r = ioctl(ioctls::readQueues);
        if (r.error().isPresent()) {
            return SubsystemResult.failed(r.error().get());
        }
        return r.value().flatMap(o -> o).map(SubsystemResult::ok).orElseGet(() -> SubsystemResult.notPresent(
                "this kernel has no ALTQ (DIOCGETALTQSV1 answered ENODEV: built without options ALTQ)"));
    }

    @FunctionalInterface
    private interface Ioctl<T> {
        T get() throws PfIoctlException;
    }

    private static <T> SubsystemResult<T> ioctl(Ioctl<T> r) {
        try {
            return SubsystemResult.ok(r.get());
        } catch (PfIoctlException e) {
            return SubsystemResult.failed(e.error());
        } catch (PfDeviceException e) {
            return SubsystemResult.failed(new PfError(PfError.Kind.OTHER, "", 0, "", e.getMessage()));
        } catch (RuntimeException e) {
            return SubsystemResult.failed(new PfError(PfError.Kind.OTHER, "", 0, "", "unexpected failure: " + e));
        }
    }

    /**
     * State limiters need PFNL_CMD_STATE_LIMITER_NGET (40); source limiters SOURCE_LIMITER_NGET (43) and,
     * for their entries, SOURCE_NGET (45). A kernel without them (14.x, 15.0) has no limiters: not present.
     */
    private <T> SubsystemResult<T> limiters(GenlFamily f, String kind, Read<T> r, int... cmds) {
        for (int cmd : cmds) {
            if (!f.supports(cmd)) {
                return SubsystemResult.notPresent("this kernel's pf has no " + kind + " limiters (no netlink command "
                        + cmd + ")");
            }
        }
        return read(f, cmds[0], r);
    }

    private PfnlLimiterWalk limiterWalk(GenlFamily f) {
        return new PfnlLimiterWalk(client, f.id(), busyAttempts);
    }

    private SubsystemResult<GenlFamily> resolve() {
        if (family != null) {
            return SubsystemResult.ok(family);
        }
        try {
            NetlinkMessage m = client.single(GETFAMILY, seq -> GenlFamily.request(PfNl.PFNL_FAMILY_NAME, seq));
            family = GenlFamily.decode(m);
            if (!family.name().equals(PfNl.PFNL_FAMILY_NAME)) {
                String got = family.name();
                family = null;
                throw new MalformedAnswerException(GETFAMILY + ": asked for \"" + PfNl.PFNL_FAMILY_NAME
                        + "\", the controller answered for \"" + got + "\"");
            }
            return SubsystemResult.ok(family);
        } catch (PfnlException e) {
            if (e.errno() == FreeBsdErrno.ENOENT) {
                return SubsystemResult.failed(new PfError(PfError.Kind.NO_DEVICE, GETFAMILY, e.errno(),
                        FreeBsdErrno.name(e.errno()), "the generic netlink family \"" + PfNl.PFNL_FAMILY_NAME
                        + "\" is not registered: pf is not loaded (kldload pf), or this FreeBSD is older than 14"));
            }
            return SubsystemResult.failed(error(e));
        } catch (MalformedAnswerException e) {
            return SubsystemResult.failed(malformed(GETFAMILY, e));
        } catch (PfDeviceException e) {
            return SubsystemResult.failed(new PfError(PfError.Kind.OTHER, GETFAMILY, 0, "", e.getMessage()));
        }
    }

    @FunctionalInterface
    private interface Read<T> {
        T get() throws PfnlException;
    }

    private <T> SubsystemResult<T> read(GenlFamily f, int cmd, Read<T> r) {
        if (!f.supports(cmd)) {
            return SubsystemResult.notPresent("this kernel's pf has no netlink command " + cmd
                    + " (not in the \"" + f.name() + "\" family's operations)");
        }
        try {
            return SubsystemResult.ok(r.get());
        } catch (PfnlException e) {
            if (e.errno() == FreeBsdErrno.EOPNOTSUPP) {
                return SubsystemResult.notPresent(e.command() + " answered EOPNOTSUPP: this kernel does not have it");
            }
            return SubsystemResult.failed(error(e));
        } catch (MalformedAnswerException e) {
            return SubsystemResult.failed(malformed("netlink", e));
        } catch (PfDeviceException e) {
            family = null;                      // the socket failed: resolve again next time
            return SubsystemResult.failed(new PfError(PfError.Kind.OTHER, "", 0, "", e.getMessage()));
        } catch (RuntimeException e) {
            return SubsystemResult.failed(new PfError(PfError.Kind.OTHER, "", 0, "", "unexpected failure: " + e));
        }
    }

    private static PfError malformed(String what, MalformedAnswerException e) {
        return new PfError(PfError.Kind.MALFORMED, what, 0, "", e.getMessage());
    }

    /** An errno as the existing error kinds name it, with what to do. */
    static PfError error(PfnlException e) {
        String name = FreeBsdErrno.name(e.errno());
        return switch (e.errno()) {
            case FreeBsdErrno.EPERM, FreeBsdErrno.EACCES -> new PfError(PfError.Kind.PERMISSION, e.command(), e.errno(),
                    name, e.command() + " failed with " + name + ": reading pf over netlink needs the PRIV_NETINET_PF "
                    + "privilege (run as root, outside a jail or in one allowed to use pf)");
            case FreeBsdErrno.EBUSY -> new PfError(PfError.Kind.BUSY, e.command(), e.errno(), name, e.command()
                    + " failed with EBUSY: the ruleset kept changing while it was read; the next poll tries again");
            default -> new PfError(PfError.Kind.OTHER, e.command(), e.errno(), name, e.getMessage());
        };
    }

    // ---- the subsystems ----

    private Status readStatus(GenlFamily f) throws PfnlException {
        PfnlStatus s = PfnlStatus.decode(client.single("PFNL_CMD_GET_STATUS", seq -> PfnlStatus.request(f.id(), seq)));
        if (s.sinceIsWallClock()) {
            s = s.withSince(since.next(s.since()));
        }
        return s.toStatus();
    }

    /** Indices in FreeBSD's PF_LIMIT_* order until the kernel's table ends (EINVAL) or the names do. */
    private Limits readLimits(GenlFamily f) throws PfnlException {
        List<String> names = PfnlScalars.FREEBSD_LIMITS;
        List<Long> values = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            int index = i;
            try {
                values.add(PfnlScalars.decodeLimit(client.single("PFNL_CMD_GET_LIMIT",
                        seq -> PfnlScalars.getLimit(f.id(), seq, index))));
            } catch (PfnlException e) {
                if (e.errno() != FreeBsdErrno.EINVAL || i == 0) {
                    throw e;
                }
                break;                          // PF_LIMIT_MAX reached
            }
        }
        return new Limits(NamedCounters.of(names.subList(0, values.size()),
                values.stream().mapToLong(Long::longValue).toArray()));
    }

    /** FreeBSD's PFTM_* up to PFTM_TS_DIFF are OpenBSD's, in the same order and with pfctl's same names. */
    private Timeouts readTimeouts(GenlFamily f) throws PfnlException {
        PfTimeout[] all = PfTimeout.values();
        long[] v = new long[all.length];
        for (PfTimeout t : all) {
            v[t.ordinal()] = PfnlScalars.decodeTimeout(client.single("PFNL_CMD_GET_TIMEOUT",
                    seq -> PfnlScalars.getTimeout(f.id(), seq, t.ordinal())));
        }
        return new Timeouts(EnumCounters.of(PfTimeout.class, v));
    }

    private List<TableStats> readTables(GenlFamily f) throws PfnlException {
        List<TableStats> out = new ArrayList<>();
        for (NetlinkMessage m : client.call("PFNL_CMD_GET_TSTATS", seq -> PfnlTables.request(f.id(), seq))) {
            out.add(PfnlTables.decode(m));
        }
        return out;
    }

    private SourceNodes readSourceNodes(GenlFamily f, List<RuleCounters> rules) throws PfnlException {
        List<PfnlSourceNodes.Node> nodes = new ArrayList<>();
        for (NetlinkMessage m : client.call("PFNL_CMD_GET_SRCNODES", seq -> PfnlSourceNodes.request(f.id(), seq))) {
            nodes.add(PfnlSourceNodes.decode(m));
        }
        return PfnlSourceNodes.tally(nodes, rules, sourceNodes.bound(), sourceNodes.top());
    }

    /**
     * The filter rules of the main ruleset and of every anchor below it. A walk that sees the ruleset
     * change (EBUSY on a stale ticket or a vanished rule, ENOENT for an anchor that went away) starts
     * over, at most {@code busyAttempts} times.
     */
    private Rules readRules(GenlFamily f) throws PfnlException {
        PfnlException last = null;
        for (int attempt = 0; attempt < busyAttempts; attempt++) {
            try {
                List<String> anchors = new ArrayList<>();
                anchors.add("");
                if (f.supports(PfNl.Cmd.PFNL_CMD_GET_RULESETS) && f.supports(PfNl.Cmd.PFNL_CMD_GET_RULESET)) {
                    anchors(f, "", anchors);
                }
                List<RuleCounters> rows = new ArrayList<>();
                for (String anchor : anchors) {
                    rules(f, anchor, rows);
                }
                return new Rules(anchors, rows, PfProtocol.labels(rows));
            } catch (PfnlException e) {
                if (e.errno() != FreeBsdErrno.EBUSY && e.errno() != FreeBsdErrno.ENOENT) {
                    throw e;
                }
                last = e;
            }
        }
        throw new PfnlException(last.command(), FreeBsdErrno.EBUSY);
    }

    private void anchors(GenlFamily f, String path, List<String> out) throws PfnlException {
        long n = PfnlRulesets.decodeCount(client.single("PFNL_CMD_GET_RULESETS",
                seq -> PfnlRulesets.getRulesets(f.id(), seq, path)));
        for (long i = 0; i < n; i++) {
            long nr = i;
            String name = PfnlRulesets.decodeName(client.single("PFNL_CMD_GET_RULESET",
                    seq -> PfnlRulesets.getRuleset(f.id(), seq, path, nr)));
            String child = path.isEmpty() ? name : path + "/" + name;
            out.add(child);
            anchors(f, child, out);
        }
    }

    private void rules(GenlFamily f, String anchor, List<RuleCounters> out) throws PfnlException {
        PfnlRules.Info info = PfnlRules.decodeInfo(client.single("PFNL_CMD_GETRULES",
                seq -> PfnlRules.getRules(f.id(), seq, anchor, PF_PASS)));
        for (long nr = 0; nr < info.nr(); nr++) {
            long n = nr;
            PfnlRule r = PfnlRule.decode(client.single("PFNL_CMD_GETRULE",
                    seq -> PfnlRules.getRule(f.id(), seq, anchor, PF_PASS, n, info.ticket())));
            out.addAll(r.labelRows(anchor));
        }
    }
}
