package org.pfmeter.pf.states;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.pfmeter.pf.abi.PfsyncState;
import org.pfmeter.pf.model.LabelKey;
import org.pfmeter.pf.model.RuleCounters;
import org.pfmeter.pf.model.Rules;

/**
 * Which (anchor, label) a state belongs to. pf_state_export() writes only numbers: {@code rule}, the
 * rule's number within its ruleset, and {@code anchor}, the number of the anchor rule the state was
 * created under (−1 in the main ruleset). A state in an anchor is therefore matched to every rule
 * numbered {@code rule} in a ruleset called by an anchor rule numbered {@code anchor}: one label if
 * they agree, otherwise the state is unattributed. A rule without a label counts as (its anchor, "");
 * the default rule (rule −1) as ("", "").
 */
final class RuleLabels {

    static final int UNATTRIBUTED = -1;
    private static final int AMBIGUOUS = -2;
    /** Dense arrays of up to this many entries per (anchor, rule) pair known, plus this: more (never, for numbers pf gives) goes to a hash table. */
    private static final int SPARE = 1_024;

    /** The labels, in their order ({@link LabelKey#compareTo}): a label's index is its rank. */
    private final List<LabelKey> keys = new ArrayList<>();
    private final Map<LabelKey, Integer> index = new HashMap<>();
    private final Map<Long, Integer> byNumbers = new HashMap<>();

    private final int[] segmentStart;
    private final int[] segmentLength;
    private final int[] denseLabels;
    private final long[] lookupKeys;
    private final int[] lookupValues;
    private final int mask;

    RuleLabels(Rules rules) {
        int defaultRule = indexOf(new LabelKey("", ""));
        byNumbers.put(key(PfsyncState.NO_RULE, PfsyncState.NO_RULE), defaultRule);
        Map<String, List<RuleCounters>> callers = new HashMap<>();    // parent path -> its anchor rules
        for (RuleCounters r : rules.rules()) {
            if (!r.anchorCall().isEmpty()) {
                callers.computeIfAbsent(r.anchor(), k -> new ArrayList<>()).add(r);
            }
        }
        for (RuleCounters r : rules.rules()) {
            if (!r.anchorCall().isEmpty()) {
                continue;
            }
            int label = indexOf(new LabelKey(r.anchor(), r.label()));
            if (r.anchor().isEmpty()) {
                put(key(PfsyncState.NO_RULE, r.nr()), label);
                continue;
            }
            int slash = r.anchor().lastIndexOf('/');
            String parent = slash < 0 ? "" : r.anchor().substring(0, slash);
            String name = r.anchor().substring(slash + 1);
            for (RuleCounters c : callers.getOrDefault(parent, List.of())) {
                if (calls(c.anchorCall(), name)) {
                    put(key(c.nr(), r.nr()), label);
                }
            }
        }
        // Number the labels in their order (("", "") is the least, so the default rule's stays 0): the
        // breakdown then lists its counts in order without sorting them at each read.
        List<LabelKey> sorted = new ArrayList<>(keys);
        sorted.sort(null);
        int[] rank = new int[keys.size()];
        for (int i = 0; i < sorted.size(); i++) {
            rank[index.get(sorted.get(i))] = i;
        }
        keys.clear();
        keys.addAll(sorted);
        for (int i = 0; i < sorted.size(); i++) {
            index.put(sorted.get(i), i);
        }
        byNumbers.replaceAll((k, v) -> v == AMBIGUOUS ? AMBIGUOUS : rank[v]);
        // Rule numbers count from 0 in each ruleset (pf_calc_skip_steps numbers them in order), so the
        // numbers index arrays: one segment of labels per anchor number, the main ruleset's first.
        // A state costs two array reads in a few hundred KB instead of a probe into a hash table.
        long limit = 4L * byNumbers.size() + SPARE;
        long maxAnchor = -1;
        for (long k : byNumbers.keySet()) {
            if (k >>> 32 != PfsyncState.NO_RULE) {
                maxAnchor = Math.max(maxAnchor, k >>> 32);
            }
        }
        boolean dense = maxAnchor + 2 <= limit;
        long[] lengths = new long[dense ? (int) (maxAnchor + 2) : 0];
        long total = 0;
        for (long k : dense ? byNumbers.keySet() : java.util.Set.<Long>of()) {
            long rule = k & 0xffff_ffffL;
            if (k == -1L) {
                continue;                              // (−1, −1): the default rule, answered without the arrays
            }
            if (rule >= limit) {
                dense = false;
                break;
            }
            int a = segment(k >>> 32);
            total += Math.max(0, rule + 1 - lengths[a]);
            lengths[a] = Math.max(lengths[a], rule + 1);
        }
        dense &= total <= limit;
        if (!dense) {
            // numbers pf would not give: keep them in an open-addressing table instead
            segmentStart = new int[0];
            segmentLength = new int[0];
            denseLabels = new int[0];
            int slots = Integer.highestOneBit(Math.max(2, byNumbers.size()) * 2 - 1) * 4;
            mask = slots - 1;
            lookupKeys = new long[slots];
            lookupValues = new int[slots];
            java.util.Arrays.fill(lookupKeys, -1L);       // (−1, −1) is the default rule's key: kept in the map, not here
            for (Map.Entry<Long, Integer> e : byNumbers.entrySet()) {
                if (e.getKey() == -1L) {
                    continue;
                }
                int i = slot(e.getKey());
                while (lookupKeys[i] != -1L) {
                    i = (i + 1) & mask;
                }
                lookupKeys[i] = e.getKey();
                lookupValues[i] = labelIndex(e.getValue());
            }
            return;
        }
        mask = 0;
        lookupKeys = new long[0];
        lookupValues = new int[0];
        segmentStart = new int[lengths.length];
        segmentLength = new int[lengths.length];
        int at = 0;
        for (int a = 0; a < lengths.length; a++) {
            segmentStart[a] = at;
            segmentLength[a] = (int) lengths[a];
            at += (int) lengths[a];
        }
        denseLabels = new int[at];
        java.util.Arrays.fill(denseLabels, UNATTRIBUTED);
        for (Map.Entry<Long, Integer> e : byNumbers.entrySet()) {
            if (e.getKey() != -1L) {
                denseLabels[segmentStart[segment(e.getKey() >>> 32)] + (int) (e.getKey() & 0xffff_ffffL)] = labelIndex(e.getValue());
            }
        }
    }

    /** The segment of an anchor number: 0 for the main ruleset (NO_RULE), else the number + 1. */
    private static int segment(long anchor) {
        return anchor == PfsyncState.NO_RULE ? 0 : (int) anchor + 1;
    }

    private static int labelIndex(int value) {
        return value == AMBIGUOUS ? UNATTRIBUTED : value;
    }

    /** The anchor rule's call names the child: its last component, or a wildcard. */
    private static boolean calls(String anchorCall, String child) {
        String last = anchorCall.substring(anchorCall.lastIndexOf('/') + 1);
        return last.equals(child) || last.equals("*");
    }

    private int indexOf(LabelKey k) {
        return index.computeIfAbsent(k, x -> {
            keys.add(x);
            return keys.size() - 1;
        });
    }

    private void put(long key, int label) {
        Integer was = byNumbers.putIfAbsent(key, label);
        if (was != null && was != label) {
            byNumbers.put(key, AMBIGUOUS);
        }
    }

    private static long key(long anchor, long rule) {
        return (anchor << 32) | (rule & 0xffff_ffffL);
    }

    private int slot(long k) {
        long h = k * 0x9e3779b97f4a7c15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    /** The label index of a state's numbers, or {@link #UNATTRIBUTED}. Allocates nothing. */
    int labelOf(long anchor, long rule) {
        if (anchor == PfsyncState.NO_RULE && rule == PfsyncState.NO_RULE) {
            return 0;                                  // the default rule: ("", ""), index 0
        }
        if (lookupKeys.length == 0) {
            long a = anchor == PfsyncState.NO_RULE ? 0 : anchor + 1;
            if (a >= segmentStart.length || rule >= segmentLength[(int) a]) {
                return UNATTRIBUTED;
            }
            return denseLabels[segmentStart[(int) a] + (int) rule];
        }
        long k = key(anchor, rule);
        int i = slot(k);
        while (lookupKeys[i] != -1L) {
            if (lookupKeys[i] == k) {
                return lookupValues[i];
            }
            i = (i + 1) & mask;
        }
        return UNATTRIBUTED;
    }

    int labels() {
        return keys.size();
    }

    LabelKey label(int i) {
        return keys.get(i);
    }
}
