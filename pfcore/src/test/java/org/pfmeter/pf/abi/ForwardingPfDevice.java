package org.pfmeter.pf.abi;

import java.time.Instant;
import java.util.Optional;

/**
 * A device that passes every call on to another one: the base of the test devices that wrap a real
 * (or simulated) pf to watch or change some of its answers, overriding only those. Shared with the
 * exporter's tests through pfcore's test-jar.
 */
public abstract class ForwardingPfDevice implements PfDevice {

    /** The device every call not overridden goes to. */
    protected final PfDevice delegate;

    protected ForwardingPfDevice(PfDevice delegate) {
        this.delegate = delegate;
    }

    @Override
    public int ioctl(IoctlCall call) {
        return delegate.ioctl(call);
    }

    @Override
    public int sysctl(SysctlCall call) {
        return delegate.sysctl(call);
    }

    @Override
    public String kernelRelease() {
        return delegate.kernelRelease();
    }

    @Override
    public Optional<Instant> bootTime() {
        return delegate.bootTime();
    }

    @Override
    public String describe() {
        return delegate.describe();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
