package org.pfmeter.pf.sim;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;
import org.pfmeter.pf.abi.FreeBsdRelease;
import org.pfmeter.pf.abi.PfDevice;
import org.pfmeter.pf.abi.PfDevices.NoPfException;
import org.pfmeter.pf.abi.netlink.NetlinkSocket;
import org.pfmeter.pf.sim.freebsd.SimulatedFreeBsd;

/**
 * Where the exporter's simulated FreeBSD pf comes from ({@code --simulate --sim-release freebsd-15.0}):
 * {@link #create} in production, a scripted netlink kernel ({@link Factory}) in tests. ({@code pfmeter
 * simulate} builds its {@link SimulatedFreeBsd} itself, with the month's counter start.)
 */
public final class FreeBsdSimulators {

    /** The simulated firewall asked for. */
    public record Spec(long seed, SimScale scale, FreeBsdRelease release, FaultSchedule faults) {
    }

    /**
     * A running simulated FreeBSD host, as the exporter uses it.
     *
     * @param netlink     its generic netlink socket (family "pfctl")
     * @param statesNetlink a second socket for the state-table breakdown (its own dumps); empty: none
     * @param devPf       its /dev/pf (interfaces, ALTQ, DIOCRGETTSTATS); empty: not present
     * @param advance     lets simulated time pass (traffic, scheduled faults)
     * @param groundTruth what the simulated traffic was, for {@code pfmeter simulate}
     * @param bootTime    when the simulated host booted
     * @param describe    for logs: "simulated FreeBSD 15.0 pf (seed 1)"
     */
    public record Host(NetlinkSocket netlink, Optional<NetlinkSocket> statesNetlink, Optional<PfDevice> devPf,
            Consumer<Duration> advance,
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

    /** Constructs the simulated FreeBSD pf ({@link SimulatedFreeBsd}) with its scheduled faults. */
    public static Host create(Spec spec, SimClock clock) {
        SimulatedFreeBsd sim = new SimulatedFreeBsd(spec.seed(), spec.scale(), spec.release(), clock);
        sim.schedule(spec.faults());
        return new Host(sim.netlink(), Optional.of(sim.netlink()), Optional.of(sim.device()), sim::advance,
                sim::groundTruth, sim.bootTime(),
                "simulated FreeBSD " + spec.release().version() + " pf (seed " + spec.seed() + ")");
    }
}
