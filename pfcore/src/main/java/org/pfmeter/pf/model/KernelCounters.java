package org.pfmeter.pf.model;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.OptionalLong;

/**
 * One of the kernel's counter tables (reasons, limit counters, table operations) with the names of
 * that kernel's own name table, in its order. Platforms differ in their tables (FreeBSD's reasons
 * have "map-failed" and lack OpenBSD's "translate" and "no-route"; its limit counters stop before
 * the syncookie ones), so a table carries exactly the counters its kernel has: a name the kernel
 * does not have is absent, never 0.
 *
 * <p>Two kinds: {@link EnumCounters}, where a model enum mirrors the kernel's table (OpenBSD's
 * {@code PFRES_NAMES} is {@link Reason}), and {@link NamedCounters}, where the kernel sent its table
 * itself (FreeBSD's netlink status carries each counter's {@code PF_C_NAME}). Values are unsigned
 * 64-bit: compare with {@link Long#compareUnsigned}, print with {@link Long#toUnsignedString}.
 */
public interface KernelCounters {

    /** One counter: its name as the kernel's table spells it, and its value. */
    record Entry(KernelName name, long value) {
    }

    /** Every counter in the kernel's order. */
    List<Entry> entries();

    /** The counter the kernel names {@code kernelName}, or empty when this kernel's table has none. */
    OptionalLong find(String kernelName);

    /** The values in the kernel's order. */
    long[] toArray();

    default int size() {
        return entries().size();
    }

    default boolean isEmpty() {
        return size() == 0;
    }

    /**
     * The counter named like {@code key}.
     *
     * @throws NoSuchElementException when this kernel's table has no such counter (use {@link #find})
     */
    default long get(KernelName key) {
        return find(key.kernelName()).orElseThrow(() -> new NoSuchElementException(
                "this kernel's table has no counter \"" + key.kernelName() + "\""));
    }
}
