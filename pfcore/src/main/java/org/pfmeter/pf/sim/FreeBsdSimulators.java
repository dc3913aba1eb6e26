package org.pfmeter.pf.sim;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;
import org.pfmeter.pf.abi.FreeBsdRelease;
import org.pfmeter.pf.abi.PfDevices.NoPfException;
import org.pfmeter.pf.abi.netlink.NetlinkSocket;

/**
 * Where a simulated FreeBSD pf comes from ({@code --simulate --sim-release freebsd-15.0}): the exporter
 * and {@code pfmeter simulate} ask {@link #create} for one, and {@link #create} is the one place that
 * constructs the simulator. Tests pass their own {@link Factory} (a scripted netlink kernel).
 */
public final class FreeBsdSimulators {

    /** What {@link #create} says until the FreeBSD simulator is on this branch. */
    public static final String NOT_BUILT = "the FreeBSD simulator is not built yet: --sim-release freebsd-14.3 and "
            + "freebsd-15.0 need it (issue 18); simulate an OpenBSD release (7.8, 7.9, 8.0) meanwhile";

    /** The simulated firewall asked for. */
    public record Spec(long seed, SimScale scale, FreeBsdRelease release, FaultSchedule faults) {
    }

    /**
     * A running simulated FreeBSD host, as the exporter uses it.
     *
     * @param netlink     its generic netlink socket (family "pfctl")
     * @param advance     lets simulated time pass (traffic, scheduled faults)
     * @param groundTruth what the simulated traffic was, for {@code pfmeter simulate}
     * @param bootTime    when the simulated host booted
     * @param describe    for logs: "simulated FreeBSD 15.0 pf (seed 1)"
     */
    public record Host(NetlinkSocket netlink, Consumer<Duration> advance,
            java.util.function.Supplier<GroundTruth> groundTruth, Optional<Instant> bootTime, String describe) {
    }

    /** Builds a simulated host: {@link #create} in production, a scripted kernel in tests. */
    @FunctionalInterface
    public interface Factory {
        Host create(Spec spec, SimClock clock) throws NoPfException;
    }

    /** The production factory. */
    public static final Factory DEFAULT = FreeBsdSimulators::create;

    private FreeBsdSimulators() {
    }

    /**
     * Constructs the simulated FreeBSD pf.
     *
     * @throws NoPfException saying the simulator is not built yet (until it is)
     */
    public static Host create(Spec spec, SimClock clock) throws NoPfException {
        // ---- THE place where the FreeBSD simulator is constructed (issue 18, branch h18-sim). ----
        // At merge, replace the throw with:
        //   SimulatedFreeBsd sim = new SimulatedFreeBsd(spec.seed(), spec.scale(), spec.release(), clock);
        //   sim.schedule(spec.faults());          // if it takes faults
        //   return new Host(sim.netlink(), sim::advance, sim::groundTruth, sim.bootTime(),
        //           "simulated FreeBSD " + spec.release().version() + " pf (seed " + spec.seed() + ")");
        throw new NoPfException(NOT_BUILT);
    }
}
