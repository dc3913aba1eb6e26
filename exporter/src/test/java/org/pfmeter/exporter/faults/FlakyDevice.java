package org.pfmeter.exporter.faults;

import java.util.Optional;
import java.util.function.Supplier;
import org.pfmeter.pf.abi.IoctlCall;
import org.pfmeter.pf.abi.PfDevice;

/**
 * /dev/pf that fails on demand: while an errno is set every ioctl answers it (ENXIO when the pf
 * driver is gone, EIO, ...); while a throwable is set every ioctl throws it (a bug, a broken native
 * library). Everything else goes to the wrapped device.
 */
final class FlakyDevice implements PfDevice {

    private final PfDevice device;
    private volatile int errno;
    private volatile Optional<Supplier<? extends Throwable>> throwing = Optional.empty();

    FlakyDevice(PfDevice device) {
        this.device = device;
    }

    void failWith(int e) {
        errno = e;
    }

    void throwing(Supplier<? extends Throwable> t) {
        throwing = Optional.of(t);
    }

    void heal() {
        errno = 0;
        throwing = Optional.empty();
    }

    @Override
    public int ioctl(IoctlCall call) {
        Optional<Supplier<? extends Throwable>> t = throwing;
        if (t.isPresent()) {
            Throwable x = t.get().get();
            if (x instanceof RuntimeException r) {
                throw r;
            }
            throw (Error) x;
        }
        int e = errno;
        return e != 0 ? e : device.ioctl(call);
    }

    /** sysctl(2) does not go through /dev/pf: a failing device leaves it working. */
    @Override
    public int sysctl(org.pfmeter.pf.abi.SysctlCall call) {
        return device.sysctl(call);
    }

    @Override
    public String kernelRelease() {
        return device.kernelRelease();
    }

    @Override
    public Optional<java.time.Instant> bootTime() {
        return device.bootTime();
    }

    @Override
    public String describe() {
        return device.describe();
    }

    @Override
    public void close() {
        device.close();
    }
}
