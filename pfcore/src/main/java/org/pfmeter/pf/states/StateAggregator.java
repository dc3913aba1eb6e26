package org.pfmeter.pf.states;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.pfmeter.pf.abi.PfsyncState;
import org.pfmeter.pf.abi.StateTableReader;
import org.pfmeter.pf.model.LabelKey;
import org.pfmeter.pf.model.StateTableBreakdown;
import org.pfmeter.pf.model.StateTableBreakdown.AddressCount;
import org.pfmeter.pf.model.StateTableBreakdown.AgeHistogram;
import org.pfmeter.pf.model.StateTableBreakdown.ProtocolFamily;
import org.pfmeter.pf.model.StateTableBreakdown.TopAddresses;
import org.pfmeter.pf.model.TcpState;

/**
 * Counts states where they lie in DIOCGETSTATES' buffer into fixed arrays and tables: per label,
 * interface, protocol and family, TCP state pair, age bucket, and per source and destination address.
 * All of its memory is taken at construction (about 9 MB with the default 65,536 addresses a side)
 * and reused by every read; a state costs a few array increments and no allocation.
 *
 * <p>Not thread-safe: one read at a time.
 */
final class StateAggregator implements StateTableReader.StateSink {

    /** Distinct addresses counted exactly per side; beyond them states are counted as untracked. */
    static final int DEFAULT_ADDRESSES = 1 << 16;
    static final int MAX_INTERFACES = 4_096;
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 24;
    private static final int PEER_LEVELS = 256;

    private final PfsyncState codec;
    private final KeyTable sources;
    private final KeyTable destinations;
    private final KeyTable interfaces = new KeyTable(MAX_INTERFACES);
    private final long[] protocols = new long[256 * 3];          // proto × (inet, inet6, other)
    private final long[] tcpPairs = new long[PEER_LEVELS * PEER_LEVELS];
    private final long[] ages = new long[AgeHistogram.BOUNDS.size() + 1];
    private final long[] bounds = AgeHistogram.BOUNDS.stream().mapToLong(Long::longValue).toArray();
    private long ageSum;
    private long[] labelCounts = new long[0];
    private long unattributed;
    private long states;
    private RuleLabels labels;

    StateAggregator(PfsyncState codec, int addresses) {
        this.codec = codec;
        this.sources = new KeyTable(addresses);
        this.destinations = new KeyTable(addresses);
    }

    /** Starts a read against the labels of {@code rules} (null: none known, every state unattributed). */
    void start(RuleLabels rules) {
        this.labels = rules;
        int n = rules == null ? 0 : rules.labels();
        if (labelCounts.length != n) {
            labelCounts = new long[n];
        } else {
            java.util.Arrays.fill(labelCounts, 0);
        }
        sources.clear();
        destinations.clear();
        interfaces.clear();
        java.util.Arrays.fill(protocols, 0);
        java.util.Arrays.fill(tcpPairs, 0);
        java.util.Arrays.fill(ages, 0);
        ageSum = 0;
        unattributed = 0;
        states = 0;
    }

    @Override
    public void state(ByteBuffer b, int base) {
        states++;
        int label = labels == null ? RuleLabels.UNATTRIBUTED : labels.labelOf(codec.anchor(b, base), codec.rule(b, base));
        if (label >= 0) {
            labelCounts[label]++;
        } else {
            unattributed++;
        }
        interfaces.add(codec.ifnameLow(b, base), codec.ifnameHigh(b, base), 0, 0);
        int af = codec.af(b, base);
        int proto = codec.proto(b, base);
        int family = af == AF_INET ? 0 : af == AF_INET6 ? 1 : 2;
        protocols[proto * 3 + family]++;
        int direction = codec.direction(b, base);
        if (proto == 6) {
            int src = codec.srcState(b, base);
            int dst = codec.dstState(b, base);
            // pfctl prints an outbound state's peers as src:dst and an inbound one's as dst:src
            tcpPairs[direction == PfsyncState.PF_OUT ? src * PEER_LEVELS + dst : dst * PEER_LEVELS + src]++;
        }
        long age = codec.creation(b, base);
        int bucket = 0;
        while (bucket < bounds.length && age > bounds[bucket]) {
            bucket++;
        }
        ages[bucket]++;
        ageSum += age;
        long bytes = codec.bytes(b, base, 0) + codec.bytes(b, base, 1);
        int s = PfsyncState.sourceIndex(direction);
        count(sources, b, codec.wireAddr(base, s), family, bytes);
        count(destinations, b, codec.wireAddr(base, 1 - s), family, bytes);
    }

    private static void count(KeyTable t, ByteBuffer b, int at, int family, long bytes) {
        long hi = b.getLong(at);
        long lo = b.getLong(at + 8);
        if (family == 0) {
            hi &= 0xffff_ffffL;    // an IPv4 address is the first 4 bytes of pf_addr
            lo = 0;
        }
        t.add(hi, lo, family, bytes);
    }

    StateTableBreakdown finish(Instant takenAt, Duration took, long bufferBytes, int top) {
        SortedMap<LabelKey, Long> byLabel = new TreeMap<>();
        for (int i = 0; i < labelCounts.length; i++) {
            if (labelCounts[i] > 0) {
                byLabel.put(labels.label(i), labelCounts[i]);
            }
        }
        SortedMap<String, Long> byInterface = new TreeMap<>();
        ByteBuffer name = ByteBuffer.allocate(16).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < interfaces.slots(); i++) {
            if (interfaces.used(i)) {
                name.putLong(0, interfaces.a(i)).putLong(8, interfaces.b(i));
                byInterface.merge(ifname(name), interfaces.states(i), Long::sum);
            }
        }
        if (interfaces.untracked() > 0) {
            byInterface.merge("(other)", interfaces.untracked(), Long::sum);
        }
        SortedMap<ProtocolFamily, Long> byProtocol = new TreeMap<>();
        for (int p = 0; p < 256; p++) {
            for (int f = 0; f < 3; f++) {
                if (protocols[p * 3 + f] > 0) {
                    byProtocol.put(new ProtocolFamily(protocolName(p), f == 0 ? "inet" : f == 1 ? "inet6" : "other"),
                            protocols[p * 3 + f]);
                }
            }
        }
        SortedMap<String, Long> byTcpState = new TreeMap<>();
        for (int i = 0; i < tcpPairs.length; i++) {
            if (tcpPairs[i] > 0) {
                byTcpState.merge(TcpState.pair(i / PEER_LEVELS, i % PEER_LEVELS), tcpPairs[i], Long::sum);
            }
        }
        List<Long> ageCounts = new ArrayList<>();
        for (long c : ages) {
            ageCounts.add(c);
        }
        return new StateTableBreakdown(takenAt, took, states, bufferBytes, byLabel, unattributed, byInterface, byProtocol,
                byTcpState, new AgeHistogram(AgeHistogram.BOUNDS, ageCounts, ageSum), top(sources, top), top(destinations, top));
    }

    private static String ifname(ByteBuffer name) {
        int n = 0;
        while (n < 16 && name.get(n) != 0) {
            n++;
        }
        return org.pfmeter.pf.abi.KernelStrings.decode(name.array(), 0, n);
    }

    private static TopAddresses top(KeyTable t, int n) {
        return new TopAddresses(list(t, t.top(n, false)), list(t, t.top(n, true)), t.size(), t.untracked(),
                t.untracked() == 0);
    }

    private static List<AddressCount> list(KeyTable t, int[] slots) {
        List<AddressCount> out = new ArrayList<>(slots.length);
        for (int s : slots) {
            out.add(new AddressCount(address(t.tag(s), t.a(s), t.b(s)), t.states(s), t.bytes(s)));
        }
        return out;
    }

    /** The address as pfctl prints it (inet_ntop). */
    static String address(int family, long hi, long lo) {
        if (family == 0) {
            return (hi & 0xff) + "." + ((hi >>> 8) & 0xff) + "." + ((hi >>> 16) & 0xff) + "." + ((hi >>> 24) & 0xff);
        }
        int[] g = new int[8];
        for (int i = 0; i < 4; i++) {
            g[i] = (int) (((hi >>> (16 * i)) & 0xff) << 8 | ((hi >>> (16 * i + 8)) & 0xff));
            g[i + 4] = (int) (((lo >>> (16 * i)) & 0xff) << 8 | ((lo >>> (16 * i + 8)) & 0xff));
        }
        return StateTableBreakdown.formatIpv6(g);
    }

    /** getprotobynumber(3)'s names for the protocols pf keeps states for; others by number. */
    static String protocolName(int p) {
        return switch (p) {
            case 1 -> "icmp";
            case 2 -> "igmp";
            case 6 -> "tcp";
            case 17 -> "udp";
            case 41 -> "ipv6";
            case 47 -> "gre";
            case 50 -> "esp";
            case 51 -> "ah";
            case 58 -> "ipv6-icmp";
            case 89 -> "ospf";
            case 103 -> "pim";
            case 112 -> "carp";
            case 132 -> "sctp";
            case 240 -> "pfsync";
            default -> Integer.toString(p);
        };
    }
}
