package org.pfmeter.exporter.faults;

import java.util.Optional;
import java.util.function.Supplier;
import org.pfmeter.pf.abi.ForwardingPfDevice;
import org.pfmeter.pf.abi.IoctlCall;
import org.pfmeter.pf.abi.PfDevice;

/**
 * /dev/pf that fails on demand: while an errno is set every ioctl answers it (ENXIO when the pf
 * driver is gone, EIO, ...); while a throwable is set every ioctl throws it (a bug, a broken native
 * library). Everything else goes to the wrapped device; sysctl(2) does not go through /dev/pf, so
 * it keeps working.
 */
final class FlakyDevice extends ForwardingPfDevice {

    private volatile int errno;
    private volatile Optional<Supplier<? extends Throwable>> throwing = Optional.empty();

    FlakyDevice(PfDevice device) {
        super(device);
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
        return e != 0 ? e : delegate.ioctl(call);
    }
}
