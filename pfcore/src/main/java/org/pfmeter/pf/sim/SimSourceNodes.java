package org.pfmeter.pf.sim;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.pfmeter.pf.abi.CStruct;
import org.pfmeter.pf.abi.Errno;
import org.pfmeter.pf.abi.IoctlCall;
import org.pfmeter.pf.abi.NativeBytes;
import org.pfmeter.pf.abi.PfAbi;
import org.pfmeter.pf.abi.PfSrcNode;
import org.pfmeter.pf.model.AddressFamily;
import org.pfmeter.pf.model.SourceNode;
import org.pfmeter.pf.model.SourceNodeGroup;
import org.pfmeter.pf.model.SourceNodeKind;
import org.pfmeter.pf.model.SourceNodes;

/**
 * The simulated firewall's source tracking: which rules track sources, and the nodes they hold at
 * any second, with the bytes DIOCGETSRCNODES copies out and the ground truth of their aggregates.
 *
 * <p>About one in three stateful pass rules that carry traffic track their sources, each with its own
 * rule number (so a node's {@code rule.nr} names one rule, as on a firewall whose anchors do not
 * track sources). Half of them are {@code source-track} rules ({@code rule} or {@code global}, with
 * {@code max-src-conn} on TCP rules); the other half use a {@code sticky-address} pool:
 * {@code rdr-to} on inbound rules, {@code nat-to} on outbound ones (PF_SN_RDR, PF_SN_NAT). A
 * rule's states are spread over a fixed pool of sources (4 to 63 of them) with Zipf weights; a
 * source holding no state has no node, as with the default {@code src.track} timeout of 0. A node's
 * packets and bytes are its share of its rule's.
 */
final class SimSourceNodes {

    static final int PFRULE_SRCTRACK = 0x0020;
    static final int PFRULE_RULESRCTRACK = 0x0040;
    static final int PF_POOL_ROUNDROBIN = 4;
    static final int PF_POOL_STICKYADDR = 0x20;
    private static final int PF_ADDR_ADDRMASK = 0;
    /** At most this many tracking rules, so that their nodes stay within PF_LIMIT_SRC_NODES' default 10,000. */
    static final int MAX_TRACKING_RULES = 150;
    /** max-src-conn and max-src-conn-rate of the TCP source-track rules. */
    static final int MAX_SRC_CONN = 500;
    static final int MAX_SRC_CONN_RATE = 100;
    static final int MAX_SRC_CONN_RATE_SECONDS = 10;

    private final Topology topo;
    private final int[] kind;                // per rule: -1 no tracking, else SourceNodeKind ordinal
    private final boolean[] ruleScope;       // source-track rule (true) or global
    private final int[] ordinal;             // per rule: its place among the tracking rules
    private final int[] pool;                // per rule: how many sources it sees
    private final int[] tracking;            // the tracking rules, in rule order

    SimSourceNodes(Topology topo, long seed) {
        this.topo = topo;
        int n = topo.rules;
        kind = new int[n];
        ruleScope = new boolean[n];
        ordinal = new int[n];
        pool = new int[n];
        Arrays.fill(kind, -1);
        java.util.Set<Integer> numbers = new java.util.HashSet<>();
        List<Integer> chosen = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long h = mix(seed, i);
            boolean candidate = topo.action[i] == Topology.PF_PASS && topo.keepState[i] && topo.flowIface[i] >= 0
                    && topo.anchorCall[i] < 0 && Long.remainderUnsigned(h, 3) == 0;
            if (!candidate || chosen.size() >= MAX_TRACKING_RULES || !numbers.add(topo.nr[i])) {
                continue;
            }
            int o = chosen.size();
            chosen.add(i);
            ordinal[i] = o;
            pool[i] = 4 + (int) Long.remainderUnsigned(h >>> 8, 60);
            if (o % 2 == 0) {
                kind[i] = SourceNodeKind.NONE.ordinal();
                ruleScope[i] = o % 4 == 0;
            } else if (topo.direction[i] == Topology.PF_IN) {
                kind[i] = SourceNodeKind.RDR.ordinal();
            } else if (topo.direction[i] == Topology.PF_OUT) {
                kind[i] = SourceNodeKind.NAT.ordinal();
            } else {
                kind[i] = SourceNodeKind.NONE.ordinal();
                ruleScope[i] = true;
            }
        }
        tracking = chosen.stream().mapToInt(Integer::intValue).toArray();
    }

    private static long mix(long seed, long i) {
        long z = seed * 0x9e3779b97f4a7c15L + i * 0xbf58476d1ce4e5b9L + 0x736f75726365L;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    boolean tracks(int rule) {
        return kind[rule] >= 0;
    }

    // ---- the nodes at one second ----

    /** The states each of rule {@code i}'s sources holds when the rule holds {@code states}. */
    private long[] shares(int i, long states) {
        int p = pool[i];
        double h = 0;
        for (int j = 0; j < p; j++) {
            h += 1.0 / (j + 1);
        }
        long[] s = new long[p];
        long sum = 0;
        for (int j = 0; j < p; j++) {
            s[j] = (long) (states / (j + 1) / h);
            sum += s[j];
        }
        for (int j = 0; sum < states; j = (j + 1) % p) {
            s[j]++;                           // the rounding remainder to the busiest sources
            sum++;
        }
        return s;
    }

    /** pf_rule.src_nodes: the nodes rule {@code i} holds when it holds {@code states} states. */
    long ruleNodes(int i, long states) {
        if (!tracks(i) || states == 0) {
            return 0;
        }
        long n = 0;
        for (long s : shares(i, states)) {
            n += s > 0 ? 1 : 0;
        }
        return n;
    }

    /** pf_status.src_nodes: every node now. */
    long count(Frame f) {
        long n = 0;
        for (int i : tracking) {
            n += ruleNodes(i, f.statesCur[i]);
        }
        return n;
    }

    /**
     * pf_status.scounters[SCNT_SRC_NODE_INSERT]: the states the tracking rules created. A rule's node
     * count grows by at most one per state it gains and its states grow only by new ones, so
     * inserts − nodes (the removals) never goes backwards, through reloads too.
     */
    long inserts(Frame f) {
        long n = 0;
        for (int i : tracking) {
            n += f.connections[i];
        }
        return n;
    }

    /** Every node at the frame's second, in rule order, as DIOCGETSRCNODES copies them out. */
    void forEach(Frame f, long uptime, Consumer<PfSrcNode.Encoded> out) {
        for (int i : tracking) {
            forRule(f, i, uptime, out);
        }
    }

    private void forRule(Frame f, int i, long uptime, Consumer<PfSrcNode.Encoded> out) {
            long states = f.statesCur[i];
            if (states == 0) {
                return;
            }
            long[] s = shares(i, states);
            int p = pool[i];
            double h = 0;
            for (int j = 0; j < p; j++) {
                h += 1.0 / (j + 1);
            }
            boolean v6 = topo.af[i] == Topology.AF_INET6;
            int af = v6 ? Topology.AF_INET6 : Topology.AF_INET;
            SourceNodeKind k = SourceNodeKind.values()[kind[i]];
            boolean tcp = topo.proto[i] == Topology.IPPROTO_TCP;
            boolean limited = k == SourceNodeKind.NONE && tcp;
            for (int j = 0; j < p; j++) {
                if (s[j] == 0) {
                    continue;
                }
                double w = 1.0 / (j + 1) / h;
                byte[] addr = source(ordinal[i], j, v6);
                byte[] raddr = k == SourceNodeKind.NONE ? new byte[16] : translated(k, j, v6);
                long age = Math.min(uptime, 30 + Long.remainderUnsigned(mix(ordinal[i], j), 7200));
                out.accept(new PfSrcNode.Encoded(addr, raddr, af, 0, k.ordinal(), topo.nr[i],
                        (long) (f.bytesIn[i] * w), (long) (f.bytesOut[i] * w),
                        (long) (f.packetsIn[i] * w), (long) (f.packetsOut[i] * w),
                        s[j], limited ? s[j] * 3 / 4 : 0,
                        limited ? MAX_SRC_CONN_RATE : 0, limited ? MAX_SRC_CONN_RATE_SECONDS : 0, 0, age, 0));
            }
    }

    /** Source j of the o-th tracking rule: 100.64.0.0/10 (IPv4) or 2001:db8::/32 (IPv6), unique per rule. */
    private static byte[] source(int o, int j, boolean v6) {
        byte[] a = new byte[16];
        int n = o * 256 + j + 1;
        if (v6) {
            a[0] = 0x20;
            a[1] = 0x01;
            a[2] = 0x0d;
            a[3] = (byte) 0xb8;
            a[13] = (byte) (n >> 16);
            a[14] = (byte) (n >> 8);
            a[15] = (byte) n;
        } else {
            a[0] = 100;
            a[1] = (byte) (64 + (n >> 16));
            a[2] = (byte) (n >> 8);
            a[3] = (byte) n;
        }
        return a;
    }

    /** The pool address a sticky round-robin pool of two gave source j (RFC 5737 / 3849 addresses). */
    private static byte[] translated(SourceNodeKind k, int j, boolean v6) {
        byte[] a = new byte[16];
        int host = (k == SourceNodeKind.NAT ? 10 : 20) + j % 2;
        if (v6) {
            a[0] = 0x20;
            a[1] = 0x01;
            a[2] = 0x0d;
            a[3] = (byte) 0xb8;
            a[4] = (byte) 0xff;
            a[5] = (byte) 0xff;
            a[15] = (byte) host;
        } else {
            a[0] = (byte) 192;
            a[1] = 0;
            a[2] = 2;
            a[3] = (byte) host;
        }
        return a;
    }

    // ---- the rule bytes that go with it ----

    /** What pfctl loads into a tracking rule: the source-track flags and limits, or the sticky pool. */
    void encodeRule(PfAbi abi, int i, ByteBuffer b) {
        if (!tracks(i)) {
            return;
        }
        CStruct pr = abi.struct("pfioc_rule");
        CStruct r = abi.struct("pf_rule");
        int base = pr.offset("rule");
        SourceNodeKind k = SourceNodeKind.values()[kind[i]];
        if (k == SourceNodeKind.NONE) {
            int flags = PFRULE_SRCTRACK | (ruleScope[i] ? PFRULE_RULESRCTRACK : 0);
            b.putInt(base + r.offset("rule_flag"), b.getInt(base + r.offset("rule_flag")) | flags);
            NativeBytes.putU32(b, base + r.offset("max_src_nodes"), pool[i] * 4L);
            if (topo.proto[i] == Topology.IPPROTO_TCP) {
                NativeBytes.putU32(b, base + r.offset("max_src_conn"), MAX_SRC_CONN);
                NativeBytes.putU32(b, base + r.offset("max_src_conn_rate", "limit"), MAX_SRC_CONN_RATE);
                NativeBytes.putU32(b, base + r.offset("max_src_conn_rate", "seconds"), MAX_SRC_CONN_RATE_SECONDS);
            }
            return;
        }
        CStruct poolDef = (CStruct) r.field(k == SourceNodeKind.NAT ? "nat" : "rdr").type();
        int p = base + r.offset(k == SourceNodeKind.NAT ? "nat" : "rdr");
        boolean v6 = topo.af[i] == Topology.AF_INET6;
        int addr = p + poolDef.offset("addr", "v", "a", "addr");
        int mask = p + poolDef.offset("addr", "v", "a", "mask");
        b.put(addr, translated(k, 0, v6));
        byte[] m = new byte[16];
        int bits = v6 ? 127 : 31;                 // a pool of two: x.x.x.10/31
        for (int bit = 0; bit < bits; bit++) {
            m[bit / 8] |= (byte) (0x80 >> (bit % 8));
        }
        b.put(mask, m);
        NativeBytes.putU8(b, p + poolDef.offset("addr", "type"), PF_ADDR_ADDRMASK);
        NativeBytes.putU8(b, p + poolDef.offset("opts"), PF_POOL_ROUNDROBIN | PF_POOL_STICKYADDR);
    }

    // ---- DIOCGETSRCNODES ----

    /** pf_ioctl.c, DIOCGETSRCNODES: a size query when psn_len is 0, else whole nodes while they fit. */
    int answer(PfAbi abi, ByteBuffer a, IoctlCall call, Frame f, long uptime) {
        CStruct s = abi.struct("pfioc_src_nodes");
        PfSrcNode codec = abi.srcNode();
        int lenAt = s.offset("psn_len");
        long space = a.getLong(lenAt);
        if (space == 0) {
            a.putLong(lenAt, (long) codec.size() * count(f));
            return 0;
        }
        Optional<ByteBuffer> buf = call.pointee(s.offset("psn_u"));
        long[] nr = {0};
        int[] fault = {0};
        forEach(f, uptime, n -> {
            if (fault[0] != 0 || Long.compareUnsigned((nr[0] + 1) * codec.size(), space) > 0) {
                return;
            }
            if (buf.isEmpty() || buf.get().capacity() < (nr[0] + 1) * codec.size()) {
                fault[0] = Errno.EFAULT;              // copyout() to memory the caller does not have
                return;
            }
            ByteBuffer out = buf.get().duplicate().order(java.nio.ByteOrder.LITTLE_ENDIAN);
            codec.encode(n, out, (int) (nr[0] * codec.size()));
            nr[0]++;
        });
        if (fault[0] != 0) {
            return fault[0];
        }
        a.putLong(lenAt, nr[0] * codec.size());
        return 0;
    }

    // ---- ground truth ----

    /**
     * What a reader of this second must find: the nodes grouped by their rules' (anchor, label) as the
     * topology knows them, and the top {@code top} by states.
     */
    SourceNodes truth(Frame f, long uptime, long bound, int top) {
        long total = count(f);
        if (total > bound) {
            return SourceNodes.countOnly(total, bound);
        }
        TreeMap<String, long[]> sums = new TreeMap<>();
        List<SourceNode> all = new ArrayList<>();
        for (int i : tracking) {
            String anchor = topo.rulesets.get(topo.ruleset[i]).path;
            String label = topo.label[i];
            forRule(f, i, uptime, n -> {
                SourceNodeKind k = SourceNodeKind.values()[n.type()];
                long[] v = sums.computeIfAbsent(anchor + "\0" + label + "\0" + k.ordinal(), x -> new long[3]);
                v[0]++;
                v[1] += n.states();
                v[2] += n.conn();
                boolean v6 = n.af() == Topology.AF_INET6;
                all.add(new SourceNode(text(n.addr(), v6), k == SourceNodeKind.NONE ? "" : text(n.raddr(), v6),
                        v6 ? AddressFamily.INET6 : AddressFamily.INET, k, n.ruleNr(), anchor, label, n.states(), n.conn(),
                        n.packetsIn() + n.packetsOut(), n.bytesIn() + n.bytesOut(), n.creation(), n.expire(), n.rateCount(),
                        n.rateSeconds()));
            });
        }
        List<SourceNodeGroup> groups = new ArrayList<>();
        sums.forEach((key, v) -> {
            String[] p = key.split("\0", -1);
            groups.add(new SourceNodeGroup(p[0], p[1], SourceNodeKind.values()[Integer.parseInt(p[2])], v[0], v[1], v[2]));
        });
        groups.sort(SourceNodeGroup.ORDER);
        all.sort(SourceNode.BY_STATES);
        return new SourceNodes(total, bound, false, groups, 0, all.subList(0, Math.min(top, all.size())));
    }

    /** inet_ntop(3), written independently of the reader's formatter (java.net with the zero run compressed). */
    private static String text(byte[] a, boolean v6) {
        try {
            if (!v6) {
                return java.net.InetAddress.getByAddress(Arrays.copyOf(a, 4)).getHostAddress();
            }
            String full = java.net.InetAddress.getByAddress(a).getHostAddress();   // 2001:db8:0:0:0:0:0:1
            String best = null;
            for (int len = 8; len >= 2 && best == null; len--) {
                String zeros = String.join(":", java.util.Collections.nCopies(len, "0"));
                String padded = ":" + full + ":";
                int at = padded.indexOf(":" + zeros + ":");
                if (at >= 0) {
                    String head = padded.substring(1, at + 1);
                    String tail = padded.substring(at + zeros.length() + 1, padded.length() - 1);
                    best = (head.isEmpty() ? ":" : head) + (tail.isEmpty() ? ":" : tail);
                }
            }
            return best == null ? full : best;
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
