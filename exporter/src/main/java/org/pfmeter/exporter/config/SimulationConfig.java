package org.pfmeter.exporter.config;

import java.time.Duration;
import org.pfmeter.pf.abi.PfRelease;
import org.pfmeter.pf.sim.FaultSchedule;
import org.pfmeter.pf.sim.SimScale;

/**
 * How to run against the simulated pf ({@code --simulate}).
 *
 * @param release the release the simulated kernel speaks: an OpenBSD ABI or a FreeBSD release
 * @param speed   how many simulated seconds pass per real second in {@code run}
 * @param elapsed how much simulated time {@code show} lets pass before its one poll, so that the
 *                counters it prints have traffic in them
 * @param pfsync  pfsync configured on the simulated firewall ({@code SimConfig#pfsync()})
 */
public record SimulationConfig(
        long seed,
        PfRelease release,
        SimScale scale,
        double speed,
        FaultSchedule faults,
        Duration elapsed,
        boolean pfsync) {
}
