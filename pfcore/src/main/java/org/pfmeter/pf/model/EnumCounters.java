package org.pfmeter.pf.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * An immutable kernel counter array indexed by an enum that mirrors the kernel's name table.
 * Values are unsigned 64-bit: compare with {@link Long#compareUnsigned}, print with
 * {@link Long#toUnsignedString}. As a {@link KernelCounters}, the enum's constants (which implement
 * {@link KernelName}) are the table's names.
 */
public final class EnumCounters<E extends Enum<E>> implements KernelCounters {

    private final Class<E> type;
    private final long[] values;

    private EnumCounters(Class<E> type, long[] values) {
        this.type = type;
        this.values = values;
    }

    /** Counters in the enum's (that is, the kernel's) order; the array is copied. */
    public static <E extends Enum<E>> EnumCounters<E> of(Class<E> type, long... values) {
        int n = type.getEnumConstants().length;
        if (values.length != n) {
            throw new IllegalArgumentException(type.getSimpleName() + " has " + n + " entries, got " + values.length);
        }
        return new EnumCounters<>(type, values.clone());
    }

    public static <E extends Enum<E>> EnumCounters<E> zero(Class<E> type) {
        return new EnumCounters<>(type, new long[type.getEnumConstants().length]);
    }

    public long get(E key) {
        return values[key.ordinal()];
    }

    /** The enum's constants with their values, in the enum's (the kernel's) order. */
    @Override
    public List<Entry> entries() {
        List<Entry> out = new ArrayList<>(values.length);
        for (E e : type.getEnumConstants()) {
            out.add(new Entry(name(e), values[e.ordinal()]));
        }
        return out;
    }

    @Override
    public OptionalLong find(String kernelName) {
        for (E e : type.getEnumConstants()) {
            if (name(e).kernelName().equals(kernelName)) {
                return OptionalLong.of(values[e.ordinal()]);
            }
        }
        return OptionalLong.empty();
    }

    private static KernelName name(Enum<?> e) {
        if (e instanceof KernelName k) {
            return k;
        }
        throw new IllegalStateException(e.getDeclaringClass().getSimpleName() + " does not name its constants (KernelName)");
    }

    public Class<E> type() {
        return type;
    }

    /** A copy of the raw values in kernel order. */
    @Override
    public long[] toArray() {
        return values.clone();
    }

    public Map<E, Long> asMap() {
        Map<E, Long> m = new LinkedHashMap<>();
        for (E e : type.getEnumConstants()) {
            m.put(e, values[e.ordinal()]);
        }
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EnumCounters<?> other && other.type == type && Arrays.equals(other.values, values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, Arrays.hashCode(values));
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(type.getSimpleName()).append('{');
        for (E e : type.getEnumConstants()) {
            if (e.ordinal() > 0) {
                sb.append(", ");
            }
            sb.append(e.name()).append('=').append(Long.toUnsignedString(values[e.ordinal()]));
        }
        return sb.append('}').toString();
    }
}
