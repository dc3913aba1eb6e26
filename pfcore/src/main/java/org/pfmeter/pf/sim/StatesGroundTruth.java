package org.pfmeter.pf.sim;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.pfmeter.pf.model.LabelKey;
import org.pfmeter.pf.model.StateTableBreakdown;
import org.pfmeter.pf.model.TcpState;

/**
 * What the simulated state table holds, aggregated straight from the states' values (hash maps,
 * no fixed capacities): what a breakdown decoded from DIOCGETSTATES' bytes must equal.
 *
 * @param sourceStates per originator address: states
 * @param sourceBytes  per originator address: bytes of both directions
 */
public record StatesGroundTruth(long states, Map<LabelKey, Long> byLabel, Map<String, Long> byInterface,
        Map<StateTableBreakdown.ProtocolFamily, Long> byProtocol, Map<String, Long> byTcpState, List<Long> ageCounts,
        long ageSumSeconds, Map<String, Long> sourceStates, Map<String, Long> sourceBytes,
        Map<String, Long> destinationStates, Map<String, Long> destinationBytes) {

    static final class Builder {
        private final long states;
        private final Map<LabelKey, Long> byLabel = new TreeMap<>();
        private final Map<String, Long> byInterface = new TreeMap<>();
        private final Map<StateTableBreakdown.ProtocolFamily, Long> byProtocol = new TreeMap<>();
        private final Map<String, Long> byTcpState = new TreeMap<>();
        private final long[] age = new long[StateTableBreakdown.AgeHistogram.BOUNDS.size() + 1];
        private long ageSum;
        private final Map<String, Long> srcStates = new HashMap<>();
        private final Map<String, Long> srcBytes = new HashMap<>();
        private final Map<String, Long> dstStates = new HashMap<>();
        private final Map<String, Long> dstBytes = new HashMap<>();

        Builder(long states) {
            this.states = states;
        }

        void add(String anchor, String label, String ifname, int proto, int af, int direction, int srcPeer, int dstPeer,
                long ageSeconds, String source, String destination, long bytes) {
            byLabel.merge(new LabelKey(anchor, label), 1L, Long::sum);
            byInterface.merge(ifname, 1L, Long::sum);
            String p = switch (proto) {
                case Topology.IPPROTO_TCP -> "tcp";
                case Topology.IPPROTO_UDP -> "udp";
                case Topology.IPPROTO_ICMP -> "icmp";
                case Topology.IPPROTO_ICMPV6 -> "ipv6-icmp";
                default -> Integer.toString(proto);
            };
            byProtocol.merge(new StateTableBreakdown.ProtocolFamily(p, af == Topology.AF_INET ? "inet" : "inet6"), 1L, Long::sum);
            if (proto == Topology.IPPROTO_TCP) {
                // pfctl prints the peers of an outbound state as src:dst, of an inbound one as dst:src
                boolean out = direction == org.pfmeter.pf.abi.PfsyncState.PF_OUT;
                byTcpState.merge(TcpState.pair(out ? srcPeer : dstPeer, out ? dstPeer : srcPeer), 1L, Long::sum);
            }
            int bucket = 0;
            List<Long> bounds = StateTableBreakdown.AgeHistogram.BOUNDS;
            while (bucket < bounds.size() && ageSeconds > bounds.get(bucket)) {
                bucket++;
            }
            age[bucket]++;
            ageSum += ageSeconds;
            srcStates.merge(source, 1L, Long::sum);
            srcBytes.merge(source, bytes, Long::sum);
            dstStates.merge(destination, 1L, Long::sum);
            dstBytes.merge(destination, bytes, Long::sum);
        }

        StatesGroundTruth build() {
            return new StatesGroundTruth(states, byLabel, byInterface, byProtocol, byTcpState,
                    java.util.Arrays.stream(age).boxed().toList(), ageSum, srcStates, srcBytes, dstStates, dstBytes);
        }
    }
}
