package org.pfmeter.pf.abi;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import org.pfmeter.pf.model.LabelKey;
import org.pfmeter.pf.model.RuleCounters;
import org.pfmeter.pf.model.SourceNode;
import org.pfmeter.pf.model.SourceNodeGroup;
import org.pfmeter.pf.model.SourceNodeKind;
import org.pfmeter.pf.model.SourceNodes;

/**
 * Aggregates source tracking nodes while they are decoded from the kernel's buffer: counters per
 * (anchor, label, kind) in arrays, and only the top N nodes by states as objects.
 *
 * <p>A node carries only its rule's number within the rule's ruleset. It is tied to the one rule of
 * the same poll with that number that holds source nodes ({@code pf_rule.src_nodes} > 0), or, if
 * none holds any, to the one rule with that number; otherwise (no such rule, or several) it is
 * unattributed and counts under anchor "" and label "".
 */
final class SourceNodeTally {

    private static final int KINDS = SourceNodeKind.values().length;
    private static final int NONE = -1;
    private static final int MAX_NR = (int) PfProtocol.MAX_RULES;

    private final PfSrcNode codec;
    private final int top;
    private final List<LabelKey> refs = new ArrayList<>();
    private final int[] refByNr;
    private final long[] counts;              // (ref * KINDS + kind) * 3: nodes, states, connections
    private final PriorityQueue<SourceNode> best;
    private long nodes;
    private long unattributed;

    SourceNodeTally(PfSrcNode codec, List<RuleCounters> rules, int top) {
        this.codec = codec;
        this.top = top;
        int maxNr = -1;
        for (RuleCounters r : rules) {
            if (r.nr() < MAX_NR) {
                maxNr = Math.max(maxNr, r.nr());
            }
        }
        Map<LabelKey, Integer> index = new LinkedHashMap<>();
        index.put(new LabelKey("", ""), 0);              // also where unattributed nodes count
        refs.add(new LabelKey("", ""));
        int[] holders = new int[maxNr + 1];
        int[] any = new int[maxNr + 1];
        int[] holderRef = new int[maxNr + 1];
        int[] anyRef = new int[maxNr + 1];
        for (RuleCounters r : rules) {
            if (r.nr() < 0 || r.nr() >= MAX_NR) {
                continue;                               // no ruleset holds that many rules (PfProtocol.MAX_RULES)
            }
            LabelKey k = new LabelKey(r.anchor(), r.label());
            int ref = index.computeIfAbsent(k, x -> {
                refs.add(x);
                return refs.size() - 1;
            });
            any[r.nr()]++;
            anyRef[r.nr()] = ref;
            if (r.srcNodes() > 0) {
                holders[r.nr()]++;
                holderRef[r.nr()] = ref;
            }
        }
        refByNr = new int[maxNr + 1];
        for (int nr = 0; nr <= maxNr; nr++) {
            refByNr[nr] = holders[nr] == 1 ? holderRef[nr] : holders[nr] == 0 && any[nr] == 1 ? anyRef[nr] : NONE;
        }
        counts = new long[refs.size() * KINDS * 3];
        best = new PriorityQueue<>(Math.max(1, top + 1), SourceNode.BY_STATES.reversed());
    }

    /** Adds the node at {@code base} of {@code b}. */
    void add(ByteBuffer b, int base) {
        long nr = NativeBytes.u32(b, base + codec.ruleNr);
        int type = NativeBytes.u8(b, base + codec.type);
        if (type >= KINDS) {
            throw new MalformedAnswerException("source node " + nodes + " has type " + type + ", beyond PF_SN_MAX (" + KINDS + ")");
        }
        long states = NativeBytes.u32(b, base + codec.states);
        long conn = NativeBytes.u32(b, base + codec.conn);
        int ref = nr < refByNr.length ? refByNr[(int) nr] : NONE;
        if (ref == NONE) {
            unattributed++;
            ref = 0;
        }
        int at = (ref * KINDS + type) * 3;
        counts[at]++;
        counts[at + 1] += states;
        counts[at + 2] += conn;
        nodes++;
        if (top > 0 && (best.size() < top || states >= best.peek().states())) {
            best.add(node(b, base, nr, SourceNodeKind.values()[type], refs.get(ref), states, conn));
            if (best.size() > top) {
                best.poll();
            }
        }
    }

    private SourceNode node(ByteBuffer b, int base, long nr, SourceNodeKind kind, LabelKey rule, long states, long conn) {
        int af = NativeBytes.u8(b, base + codec.af);
        int naf = NativeBytes.u8(b, base + codec.naf);
        String raddr = "";
        if (!zero(b, base + codec.raddr)) {
            raddr = InetText.format(b, base + codec.raddr, naf != 0 ? naf : af);
        }
        long packets = NativeBytes.u64(b, base + codec.packets) + NativeBytes.u64(b, base + codec.packets + 8);
        long bytes = NativeBytes.u64(b, base + codec.bytes) + NativeBytes.u64(b, base + codec.bytes + 8);
        return new SourceNode(InetText.format(b, base + codec.addr, af), raddr, InetText.family(af), kind, nr,
                rule.anchor(), rule.label(), states, conn, packets, bytes,
                Integer.toUnsignedLong(Math.max(0, NativeBytes.s32(b, base + codec.creation))),
                Integer.toUnsignedLong(Math.max(0, NativeBytes.s32(b, base + codec.expire))),
                NativeBytes.u32(b, base + codec.connRateCount), NativeBytes.u32(b, base + codec.connRateSeconds));
    }

    private static boolean zero(ByteBuffer b, int off) {
        return b.getLong(off) == 0 && b.getLong(off + 8) == 0;
    }

    SourceNodes result(long bound) {
        List<SourceNodeGroup> groups = new ArrayList<>();
        for (int ref = 0; ref < refs.size(); ref++) {
            for (int k = 0; k < KINDS; k++) {
                int at = (ref * KINDS + k) * 3;
                if (counts[at] > 0) {
                    LabelKey key = refs.get(ref);
                    groups.add(new SourceNodeGroup(key.anchor(), key.label(), SourceNodeKind.values()[k], counts[at],
                            counts[at + 1], counts[at + 2]));
                }
            }
        }
        groups.sort(SourceNodeGroup.ORDER);
        SourceNode[] list = best.toArray(new SourceNode[0]);
        Arrays.sort(list, SourceNode.BY_STATES);
        return new SourceNodes(nodes, bound, false, groups, unattributed, List.of(list));
    }
}
