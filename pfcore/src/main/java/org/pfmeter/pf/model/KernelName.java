package org.pfmeter.pf.model;

/** An enum constant that has a name in one of the kernel's (or pfctl's) name tables. */
public interface KernelName {

    /** The name as the kernel's table spells it, e.g. {@code "state-insert"}. */
    String kernelName();

    /**
     * The name as a metric label value: lowercase, {@code _} for anything but letters and digits.
     * Computed once per enum constant: every scrape asks for it once per sample.
     */
    default String labelValue() {
        return LabelValues.of(this);
    }
}
