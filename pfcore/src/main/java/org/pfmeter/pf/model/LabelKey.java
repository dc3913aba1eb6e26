package org.pfmeter.pf.model;

/** (anchor path, label): how labels are told apart. "" is the main ruleset. */
public record LabelKey(String anchor, String label) implements Comparable<LabelKey> {

    @Override
    public int compareTo(LabelKey o) {
        int c = anchor.compareTo(o.anchor);
        return c != 0 ? c : label.compareTo(o.label);
    }

    @Override
    public String toString() {
        return anchor.isEmpty() ? label : anchor + ":" + label;
    }
}
