package org.pfmeter.pf.sim;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.pfmeter.pf.abi.AbiRelease;
import org.pfmeter.pf.abi.ForwardingPfDevice;
import org.pfmeter.pf.abi.IoctlCall;
import org.pfmeter.pf.abi.NativeBytes;
import org.pfmeter.pf.abi.PfAbi;
import org.pfmeter.pf.abi.PfDevice;
import org.pfmeter.pf.abi.PfIoctl;

/**
 * A decorator that passes every call to the real device and writes down what went by: each call's
 * request and errno, the rule-walk tickets handed out and the ones released (sysctls pass through
 * uncounted). Not a mock: the device underneath answers.
 */
final class CountingPfDevice extends ForwardingPfDevice {

    /** One call as it went by: the request name, the errno, and the interesting input. */
    record Call(String name, int errno, long input) {
    }

    private final PfAbi abi;
    final List<Call> calls = new ArrayList<>();
    final Set<Long> issued = new LinkedHashSet<>();
    final Set<Long> released = new LinkedHashSet<>();

    CountingPfDevice(PfDevice inner, AbiRelease callerRelease) {
        super(inner);
        this.abi = callerRelease.abi();
    }

    @Override
    public int ioctl(IoctlCall call) {
        PfIoctl io = abi.ioctl(call.request()).orElse(null);
        long input = -1;
        if (io == PfIoctl.DIOCXEND) {
            input = NativeBytes.u32(call.argument(), 0);
        } else if (io == PfIoctl.DIOCIGETIFACES) {
            input = call.argument().getInt(abi.struct("pfioc_iface").offset("pfiio_size"));
        } else if (io == PfIoctl.DIOCRGETTSTATS || io == PfIoctl.DIOCRGETASTATS) {
            input = call.argument().getInt(abi.struct("pfioc_table").offset("pfrio_size"));
        }
        int errno = delegate.ioctl(call);
        calls.add(new Call(call.name(), errno, input));
        if (io == PfIoctl.DIOCGETRULES && errno == 0) {
            issued.add(NativeBytes.u32(call.argument(), abi.struct("pfioc_rule").offset("ticket")));
        }
        if (io == PfIoctl.DIOCXEND && errno == 0) {
            released.add(input);
        }
        return errno;
    }

    long count(String name) {
        return calls.stream().filter(c -> c.name().equals(name)).count();
    }

    long count(String name, int errno) {
        return calls.stream().filter(c -> c.name().equals(name) && c.errno() == errno).count();
    }

    List<Long> inputs(String name) {
        return calls.stream().filter(c -> c.name().equals(name)).map(Call::input).toList();
    }

    @Override
    public String describe() {
        return delegate.describe() + ", counted";
    }
}
