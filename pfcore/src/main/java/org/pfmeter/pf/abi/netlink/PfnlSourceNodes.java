package org.pfmeter.pf.abi.netlink;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.pfmeter.pf.abi.InetText;
import org.pfmeter.pf.abi.MalformedAnswerException;
import org.pfmeter.pf.model.AddressFamily;
import org.pfmeter.pf.model.LabelKey;
import org.pfmeter.pf.model.RuleCounters;
import org.pfmeter.pf.model.SourceNode;
import org.pfmeter.pf.model.SourceNodeGroup;
import org.pfmeter.pf.model.SourceNodeKind;
import org.pfmeter.pf.model.SourceNodes;

/**
 * PFNL_CMD_GET_SRCNODES: a dump with one message per source node ({@code pf_handle_get_srcnodes}),
 * ended by NLMSG_DONE, and its tally into the model's {@link SourceNodes} (groups per rule's anchor,
 * label and kind; the top nodes by states). Addresses are 16-byte {@code in6_addr} payloads (IPv4 in
 * the first 4), {@code PF_SN_CREATION} is the node's age and {@code PF_SN_EXPIRE} the seconds left,
 * both computed by the kernel.
 *
 * <p>FreeBSD's kinds ({@code enum pf_sn_types}: {@code PF_SN_LIMIT} 0 "limit source-track",
 * {@code PF_SN_NAT} 1 "NAT/RDR sticky-address", {@code PF_SN_ROUTE} 2) map to the model's
 * {@link SourceNodeKind} by meaning: NONE, NAT (FreeBSD keeps nat and rdr sticky addresses in one
 * kind), ROUTE. Revisions without {@code PF_SN_NODE_TYPE} had only source-track nodes.
 */
public final class PfnlSourceNodes {

    private static final String WHAT = "PFNL_CMD_GET_SRCNODES reply";

    /** FreeBSD's address family numbers ({@code sys/socket.h}); OpenBSD's AF_INET6 is 24. */
    static final int FREEBSD_AF_INET = 2;
    static final int FREEBSD_AF_INET6 = 28;

    /** FreeBSD's {@code enum pf_sn_types}. */
    static final int PF_SN_LIMIT = 0;
    static final int PF_SN_NAT = 1;
    static final int PF_SN_ROUTE = 2;

    /** One node as the kernel sends it; addresses as text (they go to JMX and show only). */
    public record Node(String address, String translated, AddressFamily family, SourceNodeKind kind, long ruleNr,
                       long states, long connections, long packets, long bytes, long ageSeconds, long expiresSeconds,
                       long rateCount, long rateSeconds) {
    }

    private PfnlSourceNodes() {
    }

    public static byte[] request(int familyId, long seq) {
        return NetlinkRequest.genl(familyId, PfNl.Cmd.PFNL_CMD_GET_SRCNODES, 0,
                Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK | Netlink.NLM_F_DUMP, seq).toBytes();
    }

    public static Node decode(NetlinkMessage m) {
        PfnlRules.expect(m, PfNl.Cmd.PFNL_CMD_GET_SRCNODES, "PFNL_CMD_GET_SRCNODES");
        NlAttrs a = m.attributes(WHAT);
        AddressFamily af = family(a.required(PfNl.SrcNodes.PF_SN_AF, "PF_SN_AF").u8());
        AddressFamily raf = a.first(PfNl.SrcNodes.PF_SN_RAF).map(x -> x.u8() == 0 ? af : family(x.u8())).orElse(af);
        byte[] raddr = a.first(PfNl.SrcNodes.PF_SN_RADDR).map(x -> x.bytes(16)).orElse(new byte[16]);
        long rateCount = 0;
        long rateSeconds = 0;
        for (NlAttr rate : a.all(PfNl.SrcNodes.PF_SN_CONNECTION_RATE)) {
            NlAttrs r = rate.nested();
            rateCount = r.first(PfNl.Threshold.PF_TH_COUNT).map(NlAttr::u32).orElse(0L);
            rateSeconds = r.first(PfNl.Threshold.PF_TH_SECONDS).map(NlAttr::u32).orElse(0L);
        }
        return new Node(
                InetText.format(af, a.required(PfNl.SrcNodes.PF_SN_ADDR, "PF_SN_ADDR").bytes(16)),
                isZero(raddr) ? "" : InetText.format(raf, raddr),
                af,
                kind(a.first(PfNl.SrcNodes.PF_SN_NODE_TYPE).map(NlAttr::u8).orElse(PF_SN_LIMIT)),
                a.required(PfNl.SrcNodes.PF_SN_RULE_NR, "PF_SN_RULE_NR").u32(),
                a.required(PfNl.SrcNodes.PF_SN_STATES, "PF_SN_STATES").u32(),
                a.required(PfNl.SrcNodes.PF_SN_CONNECTIONS, "PF_SN_CONNECTIONS").u32(),
                u64(a, PfNl.SrcNodes.PF_SN_PACKETS_IN) + u64(a, PfNl.SrcNodes.PF_SN_PACKETS_OUT),
                u64(a, PfNl.SrcNodes.PF_SN_BYTES_IN) + u64(a, PfNl.SrcNodes.PF_SN_BYTES_OUT),
                u64(a, PfNl.SrcNodes.PF_SN_CREATION),
                u64(a, PfNl.SrcNodes.PF_SN_EXPIRE),
                rateCount,
                rateSeconds);
    }

    private static long u64(NlAttrs a, int type) {
        return a.first(type).map(NlAttr::u64).orElse(0L);
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    static AddressFamily family(int af) {
        return switch (af) {
            case FREEBSD_AF_INET -> AddressFamily.INET;
            case FREEBSD_AF_INET6 -> AddressFamily.INET6;
            default -> throw new MalformedAnswerException(WHAT + ": address family " + af
                    + " is neither AF_INET (2) nor AF_INET6 (28)");
        };
    }

    static SourceNodeKind kind(int type) {
        return switch (type) {
            case PF_SN_LIMIT -> SourceNodeKind.NONE;
            case PF_SN_NAT -> SourceNodeKind.NAT;
            case PF_SN_ROUTE -> SourceNodeKind.ROUTE;
            default -> throw new MalformedAnswerException(WHAT + ": PF_SN_NODE_TYPE " + type
                    + " is none of limit (0), nat (1), route (2)");
        };
    }

    /**
     * The nodes of one poll as the model counts them. A node names its rule by number only; it is
     * attributed to the one rule read in the same poll with that number that holds source nodes (or
     * to the only rule with that number; a rule with several labels counts under its first), else it counts as unattributed under anchor "" and label "",
     * as on OpenBSD.
     *
     * @param top how many nodes to keep, the most states first
     */
    public static SourceNodes tally(List<Node> nodes, List<RuleCounters> rules, long bound, int top) {
        if (Long.compareUnsigned(nodes.size(), bound) > 0) {
            return SourceNodes.countOnly(nodes.size(), bound);
        }
        Map<Long, List<RuleCounters>> byNr = new HashMap<>();
        for (RuleCounters r : rules) {
            byNr.computeIfAbsent((long) r.nr(), k -> new ArrayList<>()).add(r);
        }
        record GroupKey(String anchor, String label, SourceNodeKind kind) {
        }
        Map<GroupKey, long[]> groups = new LinkedHashMap<>();
        List<SourceNode> all = new ArrayList<>(nodes.size());
        long unattributed = 0;
        for (Node n : nodes) {
            LabelKey rule = rule(byNr.getOrDefault(n.ruleNr(), List.of()));
            if (rule == null) {
                unattributed++;
                rule = new LabelKey("", "");
            }
            long[] g = groups.computeIfAbsent(new GroupKey(rule.anchor(), rule.label(), n.kind()), k -> new long[3]);
            g[0]++;
            g[1] += n.states();
            g[2] += n.connections();
            all.add(new SourceNode(n.address(), n.translated(), n.family(), n.kind(), n.ruleNr(), rule.anchor(),
                    rule.label(), n.states(), n.connections(), n.packets(), n.bytes(), n.ageSeconds(),
                    n.expiresSeconds(), n.rateCount(), n.rateSeconds()));
        }
        List<SourceNodeGroup> out = new ArrayList<>();
        groups.forEach((k, v) -> out.add(new SourceNodeGroup(k.anchor(), k.label(), k.kind(), v[0], v[1], v[2])));
        out.sort(SourceNodeGroup.ORDER);
        all.sort(SourceNode.BY_STATES);
        return new SourceNodes(nodes.size(), bound, false, out, unattributed, all.subList(0, Math.min(top, all.size())));
    }

    /** One rule is the rule of this number; a rule with several labels (one row each) counts under its first. */
    private static LabelKey rule(List<RuleCounters> candidates) {
        LabelKey holder = single(candidates.stream().filter(r -> r.srcNodes() > 0).toList());
        if (holder != null) {
            return holder;
        }
        return candidates.stream().noneMatch(r -> r.srcNodes() > 0) ? single(candidates) : null;
    }

    /** The first row's key when all rows are of one rule (same anchor), else null. */
    private static LabelKey single(List<RuleCounters> rows) {
        if (rows.isEmpty() || rows.stream().map(RuleCounters::anchor).distinct().count() != 1) {
            return null;
        }
        return new LabelKey(rows.get(0).anchor(), rows.get(0).label());
    }
}
