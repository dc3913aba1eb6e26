package org.pfmeter.pf.model;

/** First index of the kernel's per-af counter arrays: 0 = IPv4, 1 = IPv6. */
public enum AddressFamily implements KernelName {
    INET("inet"),
    INET6("inet6");

    private final String kernelName;

    AddressFamily(String kernelName) {
        this.kernelName = kernelName;
    }

    @Override
    public String kernelName() {
        return kernelName;
    }
}
