package org.pfmeter.pf.model;

/** Action index of the interface and loginterface counters: {@code PF_PASS} = 0, {@code PF_DROP} = 1. */
public enum Action implements KernelName {
    PASS("pass"),
    BLOCK("block");

    private final String kernelName;

    Action(String kernelName) {
        this.kernelName = kernelName;
    }

    @Override
    public String kernelName() {
        return kernelName;
    }
}
