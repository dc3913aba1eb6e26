package org.pfmeter.pf.abi.netlink;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import org.pfmeter.pf.abi.MalformedAnswerException;
import org.pfmeter.pf.model.EnumCounters;
import org.pfmeter.pf.model.KernelName;
import org.pfmeter.pf.model.LogInterface;
import org.pfmeter.pf.model.NamedCounters;
import org.pfmeter.pf.model.SinceClock;
import org.pfmeter.pf.model.Status;
import org.pfmeter.pf.model.TrafficCounters;

/**
 * FreeBSD's answer to PFNL_CMD_GET_STATUS ({@code pf_handle_get_status} in pf_nl.c), decoded with the
 * kernel's own counter names. Differences from OpenBSD's {@code struct pf_status} that a mapping to
 * the model must respect: {@code since} is wall-clock seconds in the 15-based tree (the kernel
 * converts its uptime-based value at each call) but the uptime-based value in older revisions,
 * {@code hostid} is already in host order, the reason and limit tables are FreeBSD's
 * (e.g. "map-failed", no "translate"), and there is no state id, half-open count or syncookie mode.
 *
 * @param counters          PF_GS_COUNTERS: PFRES_NAMES
 * @param limitCounters     PF_GS_LCOUNTERS: KLCNT_NAMES
 * @param stateOperations   PF_GS_FCOUNTERS: FCNT_NAMES
 * @param srcNodeOperations PF_GS_SCOUNTERS (sent with the FCNT names)
 * @param bcounters         bytes [af][in/out] (pfctl prints bcounters[0][0] and [1][0] as "Bytes In" IPv4
 *                          and IPv6), flattened in the kernel's order
 * @param pcounters         packets [af][in/out][pass/block], flattened in the kernel's order: 2x2x2 in the
 *                          15-based tree, 2x2x3 (the last action slot unused) where the reply mirrors
 *                          {@code struct pf_status}
 * @param fragments         PF_GS_FRAGMENTS, only on kernels that send it
 */
public record PfnlStatus(
        String ifname,
        boolean running,
        long since,
        long debug,
        long hostid,
        long states,
        long srcNodes,
        long reass,
        boolean syncookiesActive,
        List<NamedCounter> counters,
        List<NamedCounter> limitCounters,
        List<NamedCounter> stateOperations,
        List<NamedCounter> srcNodeOperations,
        List<NamedCounter> fragmentOperations,
        long[] bcounters,
        long[] pcounters,
        String checksum,
        OptionalLong fragments) {

    private static final String WHAT = "PFNL_CMD_GET_STATUS reply";

    public PfnlStatus {
        counters = List.copyOf(counters);
        limitCounters = List.copyOf(limitCounters);
        stateOperations = List.copyOf(stateOperations);
        srcNodeOperations = List.copyOf(srcNodeOperations);
        fragmentOperations = List.copyOf(fragmentOperations);
        bcounters = bcounters.clone();
        pcounters = pcounters.clone();
    }

    @Override
    public long[] bcounters() {
        return bcounters.clone();
    }

    @Override
    public long[] pcounters() {
        return pcounters.clone();
    }

    /** The same reply with another {@code since} (see {@code SteadySince}). */
    public PfnlStatus withSince(long newSince) {
        return new PfnlStatus(ifname, running, newSince, debug, hostid, states, srcNodes, reass, syncookiesActive, counters,
                limitCounters, stateOperations, srcNodeOperations, fragmentOperations, bcounters, pcounters, checksum,
                fragments);
    }

    /** Whether {@code since} reads as wall-clock time ({@link #WALL_CLOCK_FROM}). */
    public boolean sinceIsWallClock() {
        return Long.compareUnsigned(since, WALL_CLOCK_FROM) >= 0;
    }

    /** The request libpfctl's {@code pfctl_get_status_h} sends: no attributes, REQUEST|ACK|DUMP. */
    public static byte[] request(int familyId, long seq) {
        return NetlinkRequest.genl(familyId, PfNl.Cmd.PFNL_CMD_GET_STATUS, 0,
                Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK | Netlink.NLM_F_DUMP, seq).toBytes();
    }

    public static PfnlStatus decode(NetlinkMessage m) {
        if (m.genlCmd() != PfNl.Cmd.PFNL_CMD_GET_STATUS) {
            throw new MalformedAnswerException(WHAT + ": genlmsghdr.cmd is " + m.genlCmd() + ", not "
                    + PfNl.Cmd.PFNL_CMD_GET_STATUS);
        }
        NlAttrs a = m.attributes(WHAT);
        return new PfnlStatus(
                a.required(PfNl.GetStatus.PF_GS_IFNAME, "PF_GS_IFNAME").string(),
                a.required(PfNl.GetStatus.PF_GS_RUNNING, "PF_GS_RUNNING").bool(),
                a.required(PfNl.GetStatus.PF_GS_SINCE, "PF_GS_SINCE").u32(),
                a.required(PfNl.GetStatus.PF_GS_DEBUG, "PF_GS_DEBUG").u32(),
                a.required(PfNl.GetStatus.PF_GS_HOSTID, "PF_GS_HOSTID").u32(),
                a.required(PfNl.GetStatus.PF_GS_STATES, "PF_GS_STATES").u32(),
                a.required(PfNl.GetStatus.PF_GS_SRC_NODES, "PF_GS_SRC_NODES").u32(),
                a.required(PfNl.GetStatus.PF_GS_REASSEMBLE, "PF_GS_REASSEMBLE").u32(),
                a.required(PfNl.GetStatus.PF_GS_SYNCOOKIES_ACTIVE, "PF_GS_SYNCOOKIES_ACTIVE").u32() != 0,
                counters(a, PfNl.GetStatus.PF_GS_COUNTERS, "PF_GS_COUNTERS"),
                counters(a, PfNl.GetStatus.PF_GS_LCOUNTERS, "PF_GS_LCOUNTERS"),
                counters(a, PfNl.GetStatus.PF_GS_FCOUNTERS, "PF_GS_FCOUNTERS"),
                counters(a, PfNl.GetStatus.PF_GS_SCOUNTERS, "PF_GS_SCOUNTERS"),
                counters(a, PfNl.GetStatus.PF_GS_NCOUNTERS, "PF_GS_NCOUNTERS"),
                a.required(PfNl.GetStatus.PF_GS_BCOUNTERS, "PF_GS_BCOUNTERS").u64Array(2 * 2),
                a.required(PfNl.GetStatus.PF_GS_PCOUNTERS, "PF_GS_PCOUNTERS").u64Array(2 * 2 * 3),
                HexFormat.of().formatHex(a.required(PfNl.GetStatus.PF_GS_CHKSUM, "PF_GS_CHKSUM").bytes(16)),
                a.first(PfNl.GetStatus.PF_GS_FRAGMENTS).map(x -> OptionalLong.of(x.u64())).orElse(OptionalLong.empty()));
    }

    /**
     * Unix seconds from which on {@code since} is taken to be wall-clock time (2001-09-09): a kernel
     * that sends the uptime-based value would have to be up 31 years to reach it, and a wall-clock
     * value of this century is above it. FreeBSD's revisions differ (see pfcore/README.md), and the
     * reply does not say which it sends.
     */
    static final long WALL_CLOCK_FROM = 1_000_000_000L;

    /**
     * The status in pfmeter's model, without loss: the counter tables keep FreeBSD's own names (its
     * PF_C_NAME entries, in PF_C_ID order), and what FreeBSD does not report (state id, half-open
     * count, syncookie mode, in-flight count and watermarks; fragments and their table before main)
     * is empty, not 0. {@code hostid} is stored as OpenBSD stores it (network order) so that it prints
     * the same way ({@code PF_GS_HOSTID} arrives already converted by ntohl). {@code debug} keeps
     * FreeBSD's own levels ({@code PF_DEBUG_NONE} 0 .. {@code PF_DEBUG_NOISY} 3), which are not
     * OpenBSD's syslog levels.
     */
    public Status toStatus() {
        return new Status(
                running,
                since,
                (int) debug,
                Integer.toUnsignedLong(Integer.reverseBytes((int) hostid)),
                (int) reass,
                OptionalLong.empty(),
                states,
                OptionalLong.empty(),
                srcNodes,
                fragments,
                syncookiesActive,
                Optional.empty(),
                new long[0],
                table(counters),
                table(limitCounters),
                table(stateOperations),
                table(srcNodeOperations),
                table(fragmentOperations),
                new LogInterface(ifname, logInterfaceCounters()),
                checksum,
                OptionalLong.empty(),
                OptionalLong.empty(),
                sinceIsWallClock() ? SinceClock.WALL_CLOCK : SinceClock.UPTIME);
    }

    private static NamedCounters table(List<NamedCounter> counters) {
        List<NamedCounter> byId = new ArrayList<>(counters);
        byId.sort(Comparator.comparingInt(NamedCounter::id));
        long[] values = new long[byId.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = byId.get(i).value();
        }
        return NamedCounters.of(byId.stream().map(NamedCounter::name).toList(), values);
    }

    /** pcounters [af][dir][action] (2 or 3 action slots) and bcounters [af][dir] as the model's matrix. */
    private TrafficCounters logInterfaceCounters() {
        if (pcounters.length == 0 && bcounters.length == 0) {
            return TrafficCounters.ZERO;
        }
        int actions = switch (pcounters.length) {
            case 8 -> 2;
            case 12 -> 3;
            default -> throw new MalformedAnswerException(WHAT + ": PF_GS_PCOUNTERS has " + pcounters.length
                    + " elements, expected 2x2x2 or 2x2x3");
        };
        if (bcounters.length != 4) {
            throw new MalformedAnswerException(WHAT + ": PF_GS_BCOUNTERS has " + bcounters.length
                    + " elements, expected 2x2");
        }
        long[] p = new long[8];
        long[] b = new long[8];
        for (int af = 0; af < 2; af++) {
            for (int dir = 0; dir < 2; dir++) {
                for (int action = 0; action < 2; action++) {
                    p[af * 4 + dir * 2 + action] = pcounters[(af * 2 + dir) * actions + action];
                }
                // the model keeps bytes under PASS, BLOCK zero (LogInterface)
                b[af * 4 + dir * 2] = bcounters[af * 2 + dir];
            }
        }
        return TrafficCounters.of(p, b);
    }

    /** Every counter of one table, in wire order; ids and names must not repeat. */
    private static List<NamedCounter> counters(NlAttrs a, int type, String name) {
        List<NamedCounter> out = new ArrayList<>();
        Set<Integer> ids = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (NlAttr c : a.all(type)) {
            NlAttrs n = c.nested();
            NamedCounter nc = new NamedCounter(
                    (int) n.required(PfNl.Counter.PF_C_ID, name + " PF_C_ID").u32(),
                    n.required(PfNl.Counter.PF_C_NAME, name + " PF_C_NAME").string(),
                    n.required(PfNl.Counter.PF_C_COUNTER, name + " PF_C_COUNTER").u64());
            if (!ids.add(nc.id()) || !names.add(nc.name())) {
                throw new MalformedAnswerException(WHAT + ": " + name + " repeats counter " + nc.id() + " \""
                        + nc.name() + "\"");
            }
            out.add(nc);
        }
        return out;
    }

    /**
     * Counters placed into a model enum by the kernel's names ({@link KernelName#kernelName}), never
     * by position: a counter the enum does not name lands in {@code unknown} (so a caller can report
     * it rather than lose it silently); an enum constant the kernel did not send stays 0.
     */
    public static <E extends Enum<E> & KernelName> EnumCounters<E> byKernelName(
            Class<E> type, List<NamedCounter> counters, List<NamedCounter> unknown) {
        E[] constants = type.getEnumConstants();
        long[] values = new long[constants.length];
        for (NamedCounter c : counters) {
            E match = null;
            for (E e : constants) {
                if (e.kernelName().equals(c.name())) {
                    match = e;
                    break;
                }
            }
            if (match == null) {
                unknown.add(c);
            } else {
                values[match.ordinal()] = c.value();
            }
        }
        return EnumCounters.of(type, values);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PfnlStatus s && ifname.equals(s.ifname) && running == s.running && since == s.since
                && debug == s.debug && hostid == s.hostid && states == s.states && srcNodes == s.srcNodes
                && reass == s.reass && syncookiesActive == s.syncookiesActive && counters.equals(s.counters)
                && limitCounters.equals(s.limitCounters) && stateOperations.equals(s.stateOperations)
                && srcNodeOperations.equals(s.srcNodeOperations) && fragmentOperations.equals(s.fragmentOperations)
                && java.util.Arrays.equals(bcounters, s.bcounters) && java.util.Arrays.equals(pcounters, s.pcounters)
                && checksum.equals(s.checksum) && fragments.equals(s.fragments);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(states, checksum, counters);
    }

    @Override
    public String toString() {
        return "PfnlStatus{running=" + running + ", states=" + states + ", checksum=" + checksum + ", counters=" + counters + "}";
    }
}
