package org.pfmeter.pf.sim.freebsd;

import java.util.ArrayList;
import java.util.List;
import org.pfmeter.pf.sim.SimKernelView;

/**
 * What FreeBSD adds to a simulated rule: up to {@code PF_RULE_MAX_LABEL_COUNT} labels and a rule
 * identifier ({@code ridentifier}, which pfSense and OPNsense use to tie a rule to their
 * configuration). The labels are the shared topology's label, and a second one for the rules of the
 * main ruleset whose label reads "prefix-suffix": the prefix, a group label as a billing setup
 * would add ("lan-web" and "lan-dns" also count as "lan"). Such a rule counts its whole traffic under
 * each of its labels, in the kernel's counters as read and in the ground truth; the sum over labels
 * can then exceed the traffic. The identifier is 0 for unlabelled rules, otherwise a seeded number
 * of the size pfSense's trackers have.
 */
final class FreeBsdRuleLabels {

    private final List<List<String>> labels = new ArrayList<>();
    private final long[] ridentifier;

    FreeBsdRuleLabels(SimKernelView kernel, long seed) {
        int n = kernel.rules();
        ridentifier = new long[n];
        for (int i = 0; i < n; i++) {
            SimKernelView.RuleDef r = kernel.rule(i);
            List<String> l = new ArrayList<>();
            if (!r.label().isEmpty()) {
                l.add(r.label());
                int dash = r.label().indexOf('-');
                if (r.anchor().isEmpty() && dash > 0 && !r.label().substring(0, dash).equals(r.label())) {
                    l.add(r.label().substring(0, dash));
                }
                ridentifier[i] = 1_000_000_000L + Long.remainderUnsigned(mix(seed, i), 3_000_000_000L);
            }
            labels.add(List.copyOf(l));
        }
    }

    private static long mix(long seed, long i) {
        long z = seed * 0x9e37_79b9_7f4a_7c15L + i * 0xbf58_476d_1ce4_e5b9L;
        z = (z ^ (z >>> 30)) * 0x94d0_49bb_1331_11ebL;
        return z ^ (z >>> 31);
    }

    /** Rule {@code i}'s labels, in the order the kernel sends them. */
    List<String> labels(int i) {
        return labels.get(i);
    }

    long ridentifier(int i) {
        return ridentifier[i];
    }
}
