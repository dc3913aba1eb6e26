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
 * IPv4 addresses of a table of up to {@link #SORTED_STATES} states are appended during the walk and
 * sorted after it ({@link SortedIpv4Counts}: no cache miss per address met once), those of larger
 * tables counted in compact hash tables ({@link Ipv4Table}); other families' in {@link KeyTable}s.
 * The tables' memory is taken at construction (about 14 MB with the default 65,536 addresses a side
 * and family), the sort's grows to the largest table sorted (at most 8 MB), and both are reused by
 * every read; a state costs a few array increments and no allocation (a read that meets far more
 * addresses or states than the earlier ones may allocate once, to grow).
 *
 * <p>Not thread-safe: one read at a time.
 */
final class StateAggregator implements StateTableReader.StateSink {

    /** Distinct addresses counted exactly per side and family (IPv4, others); beyond them states are counted as untracked. */
    static final int DEFAULT_ADDRESSES = 1 << 16;
    static final int MAX_INTERFACES = 4_096;
    /**
     * Reads of at most this many states handed over at once count IPv4 addresses by sorting them
     * after the walk ({@link SortedIpv4Counts}: 32 bytes a state, 8 MB at this bound); larger ones,
     * and states handed over one by one, in the hash tables ({@link Ipv4Table}).
     */
    static final int SORTED_STATES = 1 << 18;
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 24;
    private static final int PEER_LEVELS = 256;

    /** Address family (the state's af) to 0 inet, 1 inet6, 2 other. */
    private static final int[] FAMILY = new int[256];
    /** Per family, the bits of pf_addr's two halves that hold the address: an IPv4 address is its first 4 bytes. */
    private static final long[] HIGH_MASK = {0xffff_ffffL, -1L, -1L};
    private static final long[] LOW_MASK = {0, -1L, -1L};

    static {
        java.util.Arrays.fill(FAMILY, 2);
        FAMILY[AF_INET] = 0;
        FAMILY[AF_INET6] = 1;
    }

    private final PfsyncState codec;
    private final Ipv4Table sources4;
    private final Ipv4Table destinations4;
    /** IPv4 addresses of reads of at most {@link #SORTED_STATES} states, appended during the walk and sorted after. */
    private final SortedIpv4Counts sorted4;
    /** Whether this read's IPv4 addresses go to {@link #sorted4} (else to the hash tables). */
    private boolean sorting;
    /** IPv6 and other families' addresses. */
    private final KeyTable sources;
    private final KeyTable destinations;
    private final KeyTable interfaces = new KeyTable(MAX_INTERFACES);
    private final long[] protocols = new long[256 * 3];          // proto × (inet, inet6, other)
    private static final int NOT_TCP = PEER_LEVELS * PEER_LEVELS;
    private final long[] tcpPairs = new long[NOT_TCP + 1];
    private final long[] ages = new long[AgeHistogram.BOUNDS.size() + 1];
    private final long[] bounds = AgeHistogram.BOUNDS.stream().mapToLong(Long::longValue).toArray();
    private long ageSum;
    /** [0]: unattributed states, [1 + i]: label i's. */
    private long[] labelCounts = new long[1];
    private long states;
    private RuleLabels labels;
    /** Whether the address tables were emptied for this read: that is left until the states are in the buffer. */
    private boolean cleared;

    StateAggregator(PfsyncState codec, int addresses) {
        this.codec = codec;
        this.sources4 = new Ipv4Table(addresses);
        this.destinations4 = new Ipv4Table(addresses);
        this.sorted4 = new SortedIpv4Counts(addresses);
        this.sources = new KeyTable(addresses);
        this.destinations = new KeyTable(addresses);
    }

    /** Starts a read against the labels of {@code rules} (null: none known, every state unattributed). */
    void start(RuleLabels rules) {
        this.labels = rules;
        int n = 1 + (rules == null ? 0 : rules.labels());
        if (labelCounts.length != n) {
            labelCounts = new long[n];
        } else {
            java.util.Arrays.fill(labelCounts, 0);
        }
        cleared = false;
        interfaces.clear();
        java.util.Arrays.fill(protocols, 0);
        java.util.Arrays.fill(tcpPairs, 0);
        java.util.Arrays.fill(ages, 0);
        ageSum = 0;
        states = 0;
    }

    @Override
    public void state(ByteBuffer b, int base) {
        states(b, base + codec.size(), codec.size(), base, Integer.MAX_VALUE);
    }

    @Override
    public void states(ByteBuffer b, int used, int size) {
        states(b, used, size, 0, used / size);
    }

    /**
     * The one loop over the states. Every table is a local, so the loop keeps them in registers; a
     * state costs a dozen reads of its bytes, array increments, and two probes of the address tables.
     */
    private void states(ByteBuffer b, int used, int size, int from, int coming) {
        clearAddressTables(coming);
        PfsyncState c = codec;
        RuleLabels rules = labels;
        long[] perLabel = labelCounts;
        long[] perProtocol = protocols;
        long[] perTcpPair = tcpPairs;
        long[] perAge = ages;
        long[] ageBounds = bounds;
        KeyTable ifs = interfaces;
        Ipv4Table src4 = sources4;
        Ipv4Table dst4 = destinations4;
        SortedIpv4Counts v4 = sorted4;
        boolean sort = sorting;
        KeyTable src = sources;
        KeyTable dst = destinations;
        long sumOfAges = 0;
        int n = 0;
        long runLow = 0;
        long runHigh = 0;
        long run = 0;
        long ruleRun = 0;
        long ruleStates = 0;
        for (int base = from; base < used; base += size) {
            n++;
            // pf exports its states in the order they were created, so states of one rule often
            // lie together (an attack's, say), and floating states are all on interface "all": the
            // runs of one rule and of one interface are each looked up once, when they end
            long numbers = c.ruleAndAnchor(b, base);
            if (numbers != ruleRun) {
                if (ruleStates > 0) {
                    perLabel[rules == null ? 0 : rules.labelOf(ruleRun & 0xffff_ffffL, ruleRun >>> 32) + 1] += ruleStates;
                }
                ruleRun = numbers;
                ruleStates = 0;
            }
            ruleStates++;
            long ifLow = c.ifnameLow(b, base);
            long ifHigh = c.ifnameHigh(b, base);
            if (ifLow != runLow || ifHigh != runHigh) {
                if (run > 0) {
                    ifs.add(runLow, runHigh, 0, run, 0);
                }
                runLow = ifLow;
                runHigh = ifHigh;
                run = 0;
            }
            run++;
            // Branches on what differs from state to state (protocol, direction, family, age) are
            // mispredicted as often as the traffic mixes, and each one also throws away the address
            // tables' loads already under way; so these are computed without branches.
            int apd = c.afProtoDirection(b, base);
            int family = FAMILY[apd & 0xff];
            int proto = (apd >>> 8) & 0xff;
            int out = isZero((apd >>> 16) ^ PfsyncState.PF_OUT);      // 1: an outbound state
            perProtocol[proto * 3 + family]++;
            int srcPeer = c.srcState(b, base);
            int dstPeer = c.dstState(b, base);
            // pfctl prints an outbound state's peers as src:dst and an inbound one's as dst:src; a state
            // that is not TCP counts in the extra last entry, which is never reported
            int pair = (dstPeer + out * (srcPeer - dstPeer)) * PEER_LEVELS + srcPeer + out * (dstPeer - srcPeer);
            perTcpPair[pair + (1 - isZero(proto ^ 6)) * (NOT_TCP - pair)]++;
            long age = c.creation(b, base);
            int bucket = 0;
            for (long bound : ageBounds) {
                bucket += (int) ((bound - age) >>> 63);              // age > bound
            }
            perAge[bucket]++;
            sumOfAges += age;
            long bytes = c.bytesBothWays(b, base);
            int at = c.wireAddr(base, out);                          // PfsyncState.sourceIndex(direction)
            int to = c.wireAddr(base, 1 - out);
            // IPv4 addresses go to compact tables; this branch is mispredicted only where the
            // families mix, a far smaller cost than the cache lines the compact tables save
            if (family == 0) {
                if (sort) {
                    v4.add(b.getInt(at), b.getInt(to), bytes);
                } else {
                    src4.add(b.getInt(at), bytes);
                    dst4.add(b.getInt(to), bytes);
                }
            } else {
                long hiMask = HIGH_MASK[family];
                long loMask = LOW_MASK[family];
                src.add(b.getLong(at) & hiMask, b.getLong(at + 8) & loMask, family, bytes);
                dst.add(b.getLong(to) & hiMask, b.getLong(to + 8) & loMask, family, bytes);
            }
        }
        if (run > 0) {
            ifs.add(runLow, runHigh, 0, run, 0);
        }
        if (ruleStates > 0) {
            perLabel[rules == null ? 0 : rules.labelOf(ruleRun & 0xffff_ffffL, ruleRun >>> 32) + 1] += ruleStates;
        }
        states += n;
        ageSum += sumOfAges;
    }

    /**
     * Empties the address tables once per read, after the ioctl copied the states into the buffer and
     * just before they are walked: emptying writes the tables from end to end, which leaves them in
     * the cache (before the copy, the copy would evict them again).
     */
    private void clearAddressTables(int coming) {
        if (!cleared) {
            sorting = coming <= SORTED_STATES;
            if (sorting) {
                sorted4.clear();
            } else {
                sources4.clear();
                destinations4.clear();
            }
            sources.clear();
            destinations.clear();
            cleared = true;
        }
    }

    /** 1 if {@code v} (0 to 255) is 0, else 0, without a branch. */
    private static int isZero(int v) {
        return 1 - ((v + 0xff) >>> 8);
    }

    StateTableBreakdown finish(Instant takenAt, Duration took, long bufferBytes, int top) {
        clearAddressTables(0);                                          // an empty table: no states walked
        // RuleLabels numbers the labels in their order, so the counts come out sorted and the
        // breakdown's TreeMap is built from them without comparing (thousands of labels)
        AscendingCounts<LabelKey> byLabel = new AscendingCounts<>(labelCounts.length - 1);
        for (int i = 1; i < labelCounts.length; i++) {
            if (labelCounts[i] > 0) {
                byLabel.add(labels.label(i - 1), labelCounts[i]);
            }
        }
        long unattributed = labelCounts[0];
        SortedMap<String, Long> byInterface = new TreeMap<>();
        ByteBuffer name = ByteBuffer.allocate(16).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int k = 0; k < interfaces.size(); k++) {
            int i = interfaces.slot(k);
            name.putLong(0, interfaces.a(i)).putLong(8, interfaces.b(i));
            byInterface.merge(ifname(name), interfaces.states(i), Long::sum);
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
        for (int i = 0; i < NOT_TCP; i++) {
            if (tcpPairs[i] > 0) {
                byTcpState.merge(TcpState.pair(i / PEER_LEVELS, i % PEER_LEVELS), tcpPairs[i], Long::sum);
            }
        }
        if (sorting) {
            sorted4.count();
        }
        List<Long> ageCounts = new ArrayList<>();
        for (long c : ages) {
            ageCounts.add(c);
        }
        return new StateTableBreakdown(takenAt, took, states, bufferBytes, byLabel, unattributed, byInterface, byProtocol,
                byTcpState, new AgeHistogram(AgeHistogram.BOUNDS, ageCounts, ageSum), top(sorting ? sorted4.sources() : sources4, sources, top),
                top(sorting ? sorted4.destinations() : destinations4, destinations, top));
    }

    private static String ifname(ByteBuffer name) {
        int n = 0;
        while (n < 16 && name.get(n) != 0) {
            n++;
        }
        return org.pfmeter.pf.abi.KernelStrings.decode(name.array(), 0, n);
    }

    /** One side's top lists: IPv4's and the other families' merged, ties to IPv4 (the smaller family) as before. */
    private static TopAddresses top(Ipv4Counts v4, KeyTable other, int n) {
        Ipv4Table.Top top4 = v4.top(n);
        KeyTable.Top top = other.top(n);
        long untracked = v4.untracked() + other.untracked();
        return new TopAddresses(merge(v4, top4.byStates(), other, top.byStates(), n, false),
                merge(v4, top4.byBytes(), other, top.byBytes(), n, true), v4.size() + other.size(), untracked,
                untracked == 0);
    }

    /** The first {@code n} of two lists of slots, each largest first; only the addresses listed are formatted. */
    private static List<AddressCount> merge(Ipv4Counts v4, int[] slots4, KeyTable other, int[] slots, int n, boolean byBytes) {
        List<AddressCount> out = new ArrayList<>(Math.min(n, slots4.length + slots.length));
        int i = 0;
        int j = 0;
        while (out.size() < n && (i < slots4.length || j < slots.length)) {
            if (j == slots.length || i < slots4.length && Long.compareUnsigned(
                    byBytes ? v4.bytes(slots4[i]) : v4.states(slots4[i]),
                    byBytes ? other.bytes(slots[j]) : other.states(slots[j])) >= 0) {
                int s = slots4[i++];
                out.add(new AddressCount(address(0, v4.address(s) & 0xffff_ffffL, 0), v4.states(s), v4.bytes(s)));
            } else {
                int s = slots[j++];
                out.add(new AddressCount(address(other.tag(s), other.a(s), other.b(s)), other.states(s), other.bytes(s)));
            }
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
