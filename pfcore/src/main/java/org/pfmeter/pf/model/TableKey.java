package org.pfmeter.pf.model;

import java.util.Comparator;
import java.util.Objects;

/**
 * A table as pf finds it: the anchor path of its ruleset ({@code ""} for the main ruleset) and its
 * name. Written {@code name} or {@code anchor/path:name} (how {@code tables.address-counters} names it).
 */
public record TableKey(String anchor, String name) implements Comparable<TableKey> {

    private static final Comparator<TableKey> ORDER = Comparator.comparing(TableKey::anchor).thenComparing(TableKey::name);

    public TableKey {
        Objects.requireNonNull(anchor, "anchor");
        Objects.requireNonNull(name, "name");
    }

    @Override
    public int compareTo(TableKey o) {
        return ORDER.compare(this, o);
    }

    @Override
    public String toString() {
        return anchor.isEmpty() ? name : anchor + ":" + name;
    }
}
