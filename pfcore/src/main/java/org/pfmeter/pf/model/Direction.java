package org.pfmeter.pf.model;

/** Direction index of the kernel's counter arrays ({@code PF_IN} = 0 there, {@code PFR_DIR_IN} = 0). */
public enum Direction implements KernelName {
    IN("in"),
    OUT("out");

    private final String kernelName;

    Direction(String kernelName) {
        this.kernelName = kernelName;
    }

    @Override
    public String kernelName() {
        return kernelName;
    }
}
