package org.pfmeter.pf.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A counter table as the kernel itself named it (FreeBSD's netlink status sends each counter with
 * its entry of the kernel's name table), in the kernel's order. Immutable; names do not repeat.
 */
public final class NamedCounters implements KernelCounters {

    /** A name from a kernel's table, with its metric label value computed once. */
    private record Name(String kernelName, String labelValue) implements KernelName {
    }

    private static final NamedCounters EMPTY = new NamedCounters(List.of(), new long[0]);

    private final List<Entry> entries;
    private final long[] values;

    private NamedCounters(List<Entry> entries, long[] values) {
        this.entries = entries;
        this.values = values;
    }

    /** A table with no counters: the kernel does not keep this table. */
    public static NamedCounters empty() {
        return EMPTY;
    }

    /**
     * @param names  the kernel's names, in its order
     * @param values the counters, in the same order
     */
    public static NamedCounters of(List<String> names, long[] values) {
        if (names.size() != values.length) {
            throw new IllegalArgumentException(names.size() + " names for " + values.length + " values");
        }
        Set<String> seen = new HashSet<>();
        List<Entry> entries = new ArrayList<>(names.size());
        for (int i = 0; i < values.length; i++) {
            String n = Objects.requireNonNull(names.get(i), "name");
            if (!seen.add(n)) {
                throw new IllegalArgumentException("counter name \"" + n + "\" appears twice");
            }
            entries.add(new Entry(new Name(n, LabelValues.sanitize(n)), values[i]));
        }
        return new NamedCounters(List.copyOf(entries), values.clone());
    }

    @Override
    public List<Entry> entries() {
        return entries;
    }

    @Override
    public OptionalLong find(String kernelName) {
        for (Entry e : entries) {
            if (e.name().kernelName().equals(kernelName)) {
                return OptionalLong.of(e.value());
            }
        }
        return OptionalLong.empty();
    }

    @Override
    public long[] toArray() {
        return values.clone();
    }

    /** The names in the kernel's order. */
    public List<String> names() {
        return entries.stream().map(e -> e.name().kernelName()).toList();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NamedCounters n && n.names().equals(names()) && Arrays.equals(n.values, values);
    }

    @Override
    public int hashCode() {
        return 31 * names().hashCode() + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("NamedCounters{");
        for (int i = 0; i < entries.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(entries.get(i).name().kernelName()).append('=').append(Long.toUnsignedString(values[i]));
        }
        return sb.append('}').toString();
    }
}
