package org.pfmeter.pf.sim;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.pfmeter.pf.abi.CStruct;
import org.pfmeter.pf.abi.CType;
import org.pfmeter.pf.abi.Errno;
import org.pfmeter.pf.abi.IoctlCall;
import org.pfmeter.pf.abi.NativeBytes;
import org.pfmeter.pf.abi.PfAbi;
import org.pfmeter.pf.abi.PfsyncState;

/**
 * The simulated state table and DIOCGETSTATES (pf_states_get()). The table holds exactly
 * {@link SimKernel#statesTotal()} states, the number DIOCGETSTATUS reports: the traffic's states
 * spread over the pass rules in proportion to the states each rule holds now, and a STATE_RAMP's
 * attack states (half-open TCP from a few sources) on the busiest pass rule. No state is kept: state
 * {@code k} of the table is a function of the seed, {@code k} and the table's {@link Plan}, encoded
 * on the fly into the caller's buffer, so a million states cost no memory.
 *
 * <p>{@link #truth()} aggregates the same states from their values, not from their bytes: the ground
 * truth a decoder of the bytes must reproduce.
 */
final class SimStates {

    static final int PF_SK_WIRE = 0;
    static final int PF_SK_STACK = 1;
    /** pfvar.h PFTM_TCP_ESTABLISHED, PFTM_UDP_MULTIPLE, PFTM_OTHER_MULTIPLE: a state's timeout index. */
    static final int PFTM_TCP_ESTABLISHED = 2;
    static final int PFTM_UDP_MULTIPLE = 9;
    static final int PFTM_ICMP_FIRST = 10;
    static final int PFTM_TCP_OPENING = 1;
    /** TCP peer states: tcp_fsm.h; 11 is pf's PF_TCPS_PROXY_SRC. */
    static final int CLOSED = 0;
    static final int LISTEN = 1;
    static final int SYN_SENT = 2;
    static final int ESTABLISHED = 4;
    static final int FIN_WAIT_2 = 9;
    static final int TIME_WAIT = 10;
    static final int PROXY_SRC = 11;
    /** PFUDPS_* / PFOTHERS_*. */
    static final int NO_TRAFFIC = 0;
    static final int SINGLE = 1;
    static final int MULTIPLE = 2;
    /** Attackers of a STATE_RAMP (203.0.113.1 – .16). */
    static final int ATTACKERS = 16;

    private final SimKernel kernel;
    private final long seed;
    private final int[] anchorOf;      // per ruleset: nr of the anchor rule that calls it, -1 for main
    private final int attackRule;
    private final int sourcePool;
    private final int destinationPool;

    /** One state's values, as pf_state_export() would see them. */
    record State(int rule, long ruleNr, long anchorNr, int proto, int af, int direction, int source, int destination,
            boolean attacker, int sport, int dport, int srcState, int dstState, long age, long expire, int timeout,
            long packetsIn, long packetsOut, long bytesIn, long bytesOut, long id) {
    }

    /** What the table holds at one second: its size and how the traffic's states divide over the rules. */
    record Plan(long tau, int total, int base, int[] rule, long[] upTo) {
        /** Global rule index of traffic state {@code k} (k below {@link #base}), -1: the default rule. */
        int ruleOf(int k) {
            if (rule.length == 0) {
                return -1;
            }
            int lo = 0;
            int hi = upTo.length - 1;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (upTo[mid] > k) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            return rule[lo];
        }
    }

    SimStates(SimKernel kernel) {
        this.kernel = kernel;
        this.seed = kernel.config.seed() ^ 0x7374617465L;
        Topology t = kernel.topo;
        anchorOf = new int[t.rulesets.size()];
        java.util.Arrays.fill(anchorOf, -1);
        for (int i = 0; i < t.rules; i++) {
            if (t.anchorCall[i] >= 0 && anchorOf[t.anchorCall[i]] < 0) {
                anchorOf[t.anchorCall[i]] = t.nr[i];
            }
        }
        int best = -1;
        for (int i = 0; i < t.rules; i++) {
            if (t.action[i] == Topology.PF_PASS && t.anchorCall[i] < 0 && t.flowIface[i] >= 0
                    && (best < 0 || t.cConnections[i] > t.cConnections[best])) {
                best = i;
            }
        }
        attackRule = best;
        boolean small = kernel.config.scale() == SimScale.SMALL;
        sourcePool = small ? 1_000 : 60_000;
        destinationPool = small ? 60 : 4_000;
    }

    Plan plan() {
        Frame f = kernel.frame();
        Topology t = kernel.topo;
        int total = (int) kernel.statesTotal();
        int base = (int) Math.min(total, f.states());
        List<Integer> rules = new ArrayList<>();
        long sum = 0;
        for (int i = 0; i < t.rules; i++) {
            if (t.anchorCall[i] < 0 && t.action[i] == Topology.PF_PASS && f.statesCur[i] > 0) {
                rules.add(i);
                sum += f.statesCur[i];
            }
        }
        if (sum == 0) {
            return new Plan(f.tau, total, base, new int[0], new long[0]);
        }
        // largest share first gets the rounding: floor(base * cur / sum) each, the rest one by one
        int[] rule = new int[rules.size()];
        long[] count = new long[rules.size()];
        long given = 0;
        for (int j = 0; j < rule.length; j++) {
            rule[j] = rules.get(j);
            count[j] = (long) ((double) base * f.statesCur[rule[j]] / sum);
            given += count[j];
        }
        for (int j = 0; given < base; j = (j + 1) % rule.length) {
            count[j]++;
            given++;
        }
        long[] upTo = new long[rule.length];
        long acc = 0;
        for (int j = 0; j < rule.length; j++) {
            acc += count[j];
            upTo[j] = acc;
        }
        return new Plan(f.tau, total, base, rule, upTo);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** A uniform double in [0, 1) from a hash. */
    private static double unit(long h) {
        return (h >>> 11) * 0x1.0p-53;
    }

    State state(Plan p, int k) {
        Topology t = kernel.topo;
        long h = mix(seed + 0x9e3779b97f4a7c15L * (k + 1));
        long h2 = mix(h);
        long h3 = mix(h2);
        boolean attacker = k >= p.base() && attackRule >= 0;
        int rule = attacker ? attackRule : k < p.base() ? p.ruleOf(k) : -1;
        long ruleNr = rule < 0 ? PfsyncState.NO_RULE : t.nr[rule];
        long anchorNr = rule < 0 || t.ruleset[rule] == 0 ? PfsyncState.NO_RULE : anchorOf[t.ruleset[rule]] & 0xffff_ffffL;
        int proto = rule >= 0 && t.proto[rule] != 0 ? t.proto[rule] : pickProto(unit(h));
        int af = rule >= 0 && t.af[rule] != 0 ? t.af[rule] : unit(h2) < 0.85 ? Topology.AF_INET : Topology.AF_INET6;
        if (proto == Topology.IPPROTO_ICMP && af == Topology.AF_INET6) {
            proto = Topology.IPPROTO_ICMPV6;
        } else if (proto == Topology.IPPROTO_ICMPV6 && af == Topology.AF_INET) {
            proto = Topology.IPPROTO_ICMP;
        }
        if (attacker) {
            proto = Topology.IPPROTO_TCP;
        }
        int dir = rule >= 0 && t.direction[rule] != Topology.PF_INOUT ? t.direction[rule]
                : (h3 & 1) == 0 ? PfsyncState.PF_IN : PfsyncState.PF_OUT;
        // sources are skewed (a few clients hold many states), destinations less so
        double u = unit(h3);
        int source = attacker ? (int) (Math.abs(h2) % ATTACKERS) : (int) (sourcePool * u * u * u * u);
        double v = unit(mix(h3 + 1));
        int destination = (int) (destinationPool * v * v);
        int sport = 1024 + (int) ((h >>> 20) % 60_000);
        int dport = rule >= 0 && t.dstPort[rule] > 0 ? t.dstPort[rule] : proto == Topology.IPPROTO_UDP ? 53 : 443;
        int src;
        int dst;
        int timeout;
        double w = unit(mix(h + 7));
        if (proto == Topology.IPPROTO_TCP) {
            timeout = PFTM_TCP_ESTABLISHED;
            if (attacker || w < 0.05) {
                src = SYN_SENT;
                dst = CLOSED;
                timeout = PFTM_TCP_OPENING;
            } else if (w < 0.75) {
                src = ESTABLISHED;
                dst = ESTABLISHED;
            } else if (w < 0.85) {
                src = TIME_WAIT;
                dst = TIME_WAIT;
            } else if (w < 0.93) {
                src = FIN_WAIT_2;
                dst = FIN_WAIT_2;
            } else if (w < 0.99) {
                src = ESTABLISHED;
                dst = FIN_WAIT_2;
            } else {
                src = PROXY_SRC;
                dst = LISTEN;
            }
        } else {
            timeout = proto == Topology.IPPROTO_UDP ? PFTM_UDP_MULTIPLE : PFTM_ICMP_FIRST;
            src = w < 0.2 ? SINGLE : MULTIPLE;
            dst = w < 0.2 ? NO_TRAFFIC : w < 0.9 ? MULTIPLE : SINGLE;
        }
        long life = rule >= 0 ? Math.max(1, t.lifetime[rule]) : 60;
        long age = attacker ? (long) (unit(mix(h + 3)) * Math.min(SimKernel.RAMP_SECONDS, Math.max(1, p.tau())))
                : (long) (unit(mix(h + 3)) * life);
        long expire = Math.max(0, kernel.timeouts[timeout] - (long) (unit(mix(h + 5)) * 30));
        long pin = attacker ? 1 : 1 + (mix(h + 11) >>> 1) % 2_000;
        long pout = attacker ? 0 : 1 + (mix(h + 13) >>> 1) % 2_000;
        long bin = pin * (40 + (mix(h + 17) >>> 1) % 1_460);
        long bout = pout * (40 + (mix(h + 19) >>> 1) % 1_460);
        if (!attacker && (mix(h + 23) >>> 1) % 1_000 == 0) {
            bout += 5_000_000_000L;        // a bulk transfer: beyond 32 bits
        }
        long id = kernel.stateidBase + k;
        return new State(rule, ruleNr, anchorNr, proto, af, dir, source, destination, attacker, sport, dport, src, dst,
                age, expire, timeout, pin, pout, bin, bout, id);
    }

    private static int pickProto(double u) {
        return u < 0.70 ? Topology.IPPROTO_TCP : u < 0.95 ? Topology.IPPROTO_UDP : Topology.IPPROTO_ICMP;
    }

    /** The 16 bytes of pf_addr for a pool address (network order), into {@code out} at {@code off}. */
    static void address(boolean isSource, int index, boolean attacker, int af, ByteBuffer out, int off) {
        for (int i = 0; i < 16; i++) {
            out.put(off + i, (byte) 0);
        }
        if (af == Topology.AF_INET) {
            // sources in 198.18.0.0/15 (attackers 203.0.113.0/24), destinations in 10.1.0.0/16
            int a = attacker ? 0xcb007100 + 1 + index : isSource ? 0xc6120000 + 1 + index : 0x0a010000 + 1 + index;
            out.putInt(off, Integer.reverseBytes(a));
        } else {
            // 2001:db8::/48 sources, 2001:db8:1::/48 destinations
            out.putInt(off, Integer.reverseBytes(0x20010db8));
            out.putInt(off + 4, Integer.reverseBytes(isSource ? 0 : 0x00010000));
            out.putInt(off + 12, Integer.reverseBytes(1 + index));
        }
    }

    /** The address as pfctl prints it. */
    static String addressText(boolean isSource, int index, boolean attacker, int af) {
        ByteBuffer b = NativeBytes.allocate(16);
        address(isSource, index, attacker, af, b, 0);
        byte[] raw = new byte[af == Topology.AF_INET ? 4 : 16];
        b.get(0, raw);
        try {
            String s = java.net.InetAddress.getByAddress(raw).getHostAddress();
            return af == Topology.AF_INET ? s : org.pfmeter.pf.model.StateTableBreakdown.compressIpv6(s);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- DIOCGETSTATES ----

    int getStates(PfAbi abi, ByteBuffer a, IoctlCall call) {
        PfsyncState codec = abi.pfsyncState();
        long len = a.getLong(codec.psLen);
        Plan p = plan();
        if (len == 0) {
            a.putLong(codec.psLen, (long) codec.size() * p.total());   // nr = pf_status.states
            return 0;
        }
        ByteBuffer buf = call.pointee(codec.psBuf).orElse(null);
        int fit = (int) Math.min(p.total(), Long.divideUnsigned(len, codec.size()));
        if (fit > 0 && (buf == null || (long) buf.capacity() < (long) fit * codec.size())) {
            return Errno.EFAULT;                                     // copyout() to memory the caller does not have
        }
        ByteBuffer out = buf == null ? null : buf.duplicate().order(java.nio.ByteOrder.LITTLE_ENDIAN);
        Encoder e = new Encoder(abi);
        for (int k = 0; k < fit; k++) {
            e.encode(state(p, k), out, k * codec.size());
        }
        a.putLong(codec.psLen, (long) codec.size() * fit);
        return 0;
    }

    /** pf_state_export() with the layout's offsets, looked up once per call. */
    private final class Encoder {
        final PfsyncState codec;
        final int size;
        final int ifname;
        final int key;
        final int keySize;
        final int addr;
        final int port;
        final int rdomain;
        final int keyAf;
        final int srcPeer;
        final int dstPeer;
        final int peerState;
        final int creation;
        final int expire;
        final int natRule;
        final int creatorid;
        final int af;
        final int proto;
        final int direction;
        final int timeout;
        final int id;

        Encoder(PfAbi abi) {
            CStruct s = abi.struct("pfsync_state");
            CStruct k = abi.struct("pfsync_state_key");
            CStruct peer = abi.struct("pfsync_state_peer");
            codec = abi.pfsyncState();
            size = s.size();
            ifname = s.offset("ifname");
            key = s.offset("key");
            keySize = ((CType.Array) s.field("key").type()).element().size();
            addr = k.offset("addr");
            port = k.offset("port");
            rdomain = k.offset("rdomain");
            keyAf = k.offset("af");
            srcPeer = s.offset("src");
            dstPeer = s.offset("dst");
            peerState = peer.offset("state");
            creation = s.offset("creation");
            expire = s.offset("expire");
            natRule = s.offset("nat_rule");
            creatorid = s.offset("creatorid");
            af = s.offset("af");
            proto = s.offset("proto");
            direction = s.offset("direction");
            timeout = s.offset("timeout");
            id = s.offset("id");
        }

        void encode(State st, ByteBuffer b, int base) {
            for (int i = 0; i < size; i += 8) {
                b.putLong(base + i, 0);                              // memset(sp, 0, sizeof(*sp))
            }
            b.putLong(base + id, st.id());
            // floating states (the default state-policy) hang off the "all" kif
            b.put(base + ifname, (byte) 'a').put(base + ifname + 1, (byte) 'l').put(base + ifname + 2, (byte) 'l');
            int sidx = PfsyncState.sourceIndex(st.direction());
            for (int sk = PF_SK_WIRE; sk <= PF_SK_STACK; sk++) {
                int kb = base + key + sk * keySize;
                address(true, st.source(), st.attacker(), st.af(), b, kb + addr + 16 * sidx);
                address(false, st.destination(), false, st.af(), b, kb + addr + 16 * (1 - sidx));
                b.putShort(kb + port + 2 * sidx, Short.reverseBytes((short) st.sport()));
                b.putShort(kb + port + 2 * (1 - sidx), Short.reverseBytes((short) st.dport()));
                b.putShort(kb + rdomain, (short) 0);
                b.put(kb + keyAf, (byte) st.af());
            }
            b.put(base + srcPeer + peerState, (byte) st.srcState());
            b.put(base + dstPeer + peerState, (byte) st.dstState());
            codec.putRule(b, base, st.ruleNr());
            codec.putAnchor(b, base, st.anchorNr());
            b.putInt(base + natRule, -1);
            b.putInt(base + creation, Integer.reverseBytes((int) st.age()));
            b.putInt(base + expire, Integer.reverseBytes((int) st.expire()));
            codec.putCounter(b, base, false, 0, st.packetsIn());
            codec.putCounter(b, base, false, 1, st.packetsOut());
            codec.putCounter(b, base, true, 0, st.bytesIn());
            codec.putCounter(b, base, true, 1, st.bytesOut());
            b.putInt(base + creatorid, (int) kernel.hostid);
            b.put(base + af, (byte) st.af());
            b.put(base + proto, (byte) st.proto());
            b.put(base + direction, (byte) st.direction());
            b.put(base + timeout, (byte) st.timeout());
        }
    }

    // ---- ground truth ----

    /** Every aggregate of the table now, from the states' values. */
    StatesGroundTruth truth() {
        Plan p = plan();
        Topology t = kernel.topo;
        StatesGroundTruth.Builder b = new StatesGroundTruth.Builder(p.total());
        for (int k = 0; k < p.total(); k++) {
            State s = state(p, k);
            String anchor = s.rule() < 0 ? "" : t.rulesets.get(t.ruleset[s.rule()]).path;
            String label = s.rule() < 0 ? "" : t.label[s.rule()];
            long bytes = s.bytesIn() + s.bytesOut();
            b.add(anchor, label, "all", s.proto(), s.af(), s.direction(), s.srcState(), s.dstState(), s.age(),
                    addressText(true, s.source(), s.attacker(), s.af()), addressText(false, s.destination(), false, s.af()),
                    bytes);
        }
        return b.build();
    }
}
