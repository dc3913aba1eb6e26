package org.pfmeter.pf.model;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * One pass over pf's state table (DIOCGETSTATES), aggregated: nothing of a single state is kept
 * except in the top-N lists. Immutable; maps are sorted by key.
 *
 * @param takenAt      when the read started
 * @param took         how long the read and the aggregation took
 * @param states       states in the table
 * @param bufferBytes  the native buffer the read used
 * @param byLabel      states per (anchor, label) of the rule that created them; a rule without a label
 *                     counts under its anchor with label ""; states of the default rule under ("", "")
 * @param unattributed states whose (anchor rule number, rule number) matched no rule, or rules with
 *                     different labels, in the ruleset read last (it changed, or the numbers repeat)
 * @param byInterface  states per {@code ifname} ("all" for floating states)
 * @param byProtocol   states per protocol and address family
 * @param byTcpState   TCP states per peer-state pair, named as pfctl prints it ("ESTABLISHED:ESTABLISHED")
 * @param age          the states' ages
 * @param sources      the connections' originators holding the most states and bytes
 * @param destinations the addresses they connect to
 */
public record StateTableBreakdown(
        Instant takenAt,
        Duration took,
        long states,
        long bufferBytes,
        SortedMap<LabelKey, Long> byLabel,
        long unattributed,
        SortedMap<String, Long> byInterface,
        SortedMap<ProtocolFamily, Long> byProtocol,
        SortedMap<String, Long> byTcpState,
        AgeHistogram age,
        TopAddresses sources,
        TopAddresses destinations) {

    public StateTableBreakdown {
        byLabel = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(byLabel));
        byInterface = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(byInterface));
        byProtocol = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(byProtocol));
        byTcpState = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(byTcpState));
    }

    /** A protocol name ("tcp", "udp", "icmp", "ipv6-icmp", or the number) and an address family ("inet", "inet6"). */
    public record ProtocolFamily(String protocol, String family) implements Comparable<ProtocolFamily> {
        @Override
        public int compareTo(ProtocolFamily o) {
            int c = protocol.compareTo(o.protocol);
            return c != 0 ? c : family.compareTo(o.family);
        }
    }

    /**
     * States by age in fixed buckets: {@code counts[i]} states are at most {@code upperBounds[i]}
     * seconds old and older than the bound before; the last count is older than every bound.
     */
    public record AgeHistogram(List<Long> upperBoundsSeconds, List<Long> counts, long sumSeconds) {
        /** 1 min, 5 min, 15 min, 1 h, 4 h, 1 day. */
        public static final List<Long> BOUNDS = List.of(60L, 300L, 900L, 3_600L, 14_400L, 86_400L);

        public AgeHistogram {
            upperBoundsSeconds = List.copyOf(upperBoundsSeconds);
            counts = List.copyOf(counts);
            if (counts.size() != upperBoundsSeconds.size() + 1) {
                throw new IllegalArgumentException("a count per bound and one above them");
            }
        }
    }

    /** One address with the states it holds and their bytes (both directions). */
    public record AddressCount(String address, long states, long bytes) {
    }

    /**
     * The top addresses. {@code exact} when every distinct address was counted; otherwise the table
     * of addresses filled and {@code untrackedStates} states of later addresses were not counted per
     * address (the lists are then a lower bound).
     */
    public record TopAddresses(List<AddressCount> byStates, List<AddressCount> byBytes, long distinct,
            long untrackedStates, boolean exact) {
        public TopAddresses {
            byStates = List.copyOf(byStates);
            byBytes = List.copyOf(byBytes);
        }
    }

    public Map<LabelKey, Long> labels() {
        return byLabel;
    }

    /** An IPv6 address as inet_ntop(3) writes it (RFC 5952: the longest run of zero groups as "::"). */
    public static String compressIpv6(String full) {
        String[] g = full.split(":");
        int[] v = new int[8];
        for (int i = 0; i < 8; i++) {
            v[i] = Integer.parseInt(g[i], 16);
        }
        return formatIpv6(v);
    }

    /** Eight 16-bit groups as inet_ntop(3) writes them. */
    public static String formatIpv6(int[] groups) {
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8;) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append(i == 0 ? "::" : ":");
                i += bestLen - 1;
                continue;
            }
            sb.append(Integer.toHexString(groups[i]));
            if (i < 7) {
                sb.append(':');
            }
        }
        return sb.toString();
    }
}
