package org.pfmeter.pf.sim;

import java.time.Duration;
import org.pfmeter.pf.abi.IoctlCall;
import org.pfmeter.pf.abi.PfDevice;

/**
 * A software pf that answers the same ioctls on the same buffers with exactly the bytes an OpenBSD
 * kernel would write: tickets, ENOENT at the end of a rule walk, DIOCIGETIFACES' truncation rule,
 * DIOCRGETTSTATS' size query, element-size checks (ENODEV), unknown requests (ENOTTY), errno.
 *
 * <p>API contract (implementation in progress): see the class members below.
 */
public final class SimulatedPf implements PfDevice {

    private final SimConfig config;
    private final SimClock clock;

    public SimulatedPf(SimConfig config, SimClock clock) {
        this.config = config;
        this.clock = clock;
    }

    public SimConfig config() {
        return config;
    }

    /** The simulated time; traffic accrues as it advances. */
    public SimClock clock() {
        return clock;
    }

    /** Injects a fault now (see {@link Fault}). */
    public void inject(Fault fault) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** Ends a lasting fault (EACCES, ABI_MISMATCH, BUSY_ALWAYS, STATE_RAMP). */
    public void clear(Fault fault) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** The ground-truth ledger up to the current simulated time. */
    public GroundTruth groundTruth() {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** Convenience for manual clocks: advance the clock by {@code d}. */
    public void advance(Duration d) {
        clock.advance(d);
    }

    @Override
    public int ioctl(IoctlCall call) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    @Override
    public String kernelRelease() {
        return config.kernelRelease().version();
    }

    @Override
    public String describe() {
        return "simulated pf (OpenBSD " + config.kernelRelease().version() + ", seed " + config.seed() + ", "
                + config.scale().name().toLowerCase(java.util.Locale.ROOT) + ")";
    }

    @Override
    public void close() {
    }
}
