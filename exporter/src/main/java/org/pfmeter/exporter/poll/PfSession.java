package org.pfmeter.exporter.poll;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.pfmeter.exporter.config.PfSourceConfig;
import org.pfmeter.exporter.config.SimulationConfig;
import org.pfmeter.pf.PfReader;
import org.pfmeter.pf.SourceNodeOptions;
import org.pfmeter.pf.abi.AbiRelease;
import org.pfmeter.pf.abi.PfDevice;
import org.pfmeter.pf.abi.PfDevices;
import org.pfmeter.pf.abi.PfDevices.NoPfException;
import org.pfmeter.pf.abi.PfProtocol;
import org.pfmeter.pf.model.TableKey;
import org.pfmeter.pf.model.PfSnapshot;
import org.pfmeter.pf.sim.SimClock;
import org.pfmeter.pf.sim.SimConfig;
import org.pfmeter.pf.sim.SimulatedPf;
import org.pfmeter.pf.trace.ReplayPfDevice;

/**
 * An open pf device with the ABI release chosen for it and a reader: what one {@code show} or one
 * daemon reads from. Closing it closes the device.
 */
public final class PfSession implements AutoCloseable {

    private final PfDevice device;
    private final AbiRelease release;
    private final PfReader reader;
    private final BootTime bootTime;
    private final Optional<SimulatedPf> simulator;
    private final Clock clock;

    public PfSession(PfDevice device, AbiRelease release, Clock clock, BootTime bootTime) {
        this(device, release, clock, bootTime, SourceNodeOptions.DEFAULT, List.of());
    }

    public PfSession(PfDevice device, AbiRelease release, Clock clock, BootTime bootTime, SourceNodeOptions sourceNodes) {
        this(device, release, clock, bootTime, sourceNodes, List.of());
    }

    /** @param addressTables the tables whose per-address counters every poll reads */
    public PfSession(PfDevice device, AbiRelease release, Clock clock, BootTime bootTime, List<TableKey> addressTables) {
        this(device, release, clock, bootTime, SourceNodeOptions.DEFAULT, addressTables);
    }

    public PfSession(PfDevice device, AbiRelease release, Clock clock, BootTime bootTime, SourceNodeOptions sourceNodes,
                     List<TableKey> addressTables) {
        this(device, release, clock, bootTime, sourceNodes, addressTables, PfReader.DEFAULT_SOURCE_TOP);
    }

    /** @param limiterTop address entries kept per source limiter with their addresses */
    public PfSession(PfDevice device, AbiRelease release, Clock clock, BootTime bootTime, SourceNodeOptions sourceNodes,
                     List<TableKey> addressTables, int limiterTop) {
        this.clock = clock;
        this.device = device;
        this.release = release;
        this.reader = new PfReader(device, release, clock, PfProtocol.DEFAULT_BUSY_ATTEMPTS, sourceNodes,
                limiterTop, addressTables);
        this.bootTime = bootTime;
        this.simulator = device instanceof SimulatedPf s ? Optional.of(s) : Optional.empty();
    }

    /** How the simulated pf's time runs. */
    public enum SimTime {
        /** Stands still; {@code show} advances it by {@link SimulationConfig#elapsed()} once. */
        STEPPED,
        /** Follows the wall clock at {@link SimulationConfig#speed()} (the daemon). */
        RUNNING
    }

    /**
     * Opens what {@code source} names: the simulated pf, a trace, an inherited descriptor or the
     * device. The release is {@code source.abi()} or the kernel's.
     *
     * @param clock the wall clock (snapshots' {@code takenAt}); also the simulator's base clock
     * @throws NoPfException with the device's message when there is no usable pf (never replaced by fake data),
     *                       also a device opened on a host that is not OpenBSD
     * @throws AbiRelease.UnsupportedReleaseException when the kernel's release is not supported
     * @throws org.pfmeter.pf.os.NativeLayerException when the device needs native code that cannot load here
     */
    public static PfSession open(PfSourceConfig source, Clock clock, SimTime simTime) throws NoPfException {
        return open(source, clock, simTime, SourceNodeOptions.DEFAULT);
    }

    /** As {@link #open(PfSourceConfig, Clock, SimTime)}, reading source tracking nodes with {@code sourceNodes}. */
    public static PfSession open(PfSourceConfig source, Clock clock, SimTime simTime, SourceNodeOptions sourceNodes)
            throws NoPfException {
        PfDevice device;
        Clock readerClock = clock;
        if (source.simulation().isPresent()) {
            SimulationConfig s = source.simulation().get();
            // A stepped simulation (show, record) starts at the beginning of the current UTC day, so
            // that the same seed shows the same numbers however many seconds apart two commands run.
            Instant start = simTime == SimTime.STEPPED ? clock.instant().truncatedTo(java.time.temporal.ChronoUnit.DAYS) : clock.instant();
            SimClock simClock = simTime == SimTime.STEPPED ? SimClock.manual(start) : SimClock.scaled(clock, start, s.speed());
            SimulatedPf pf = new SimulatedPf(new SimConfig(s.seed(), s.release(), s.scale()).withPfsync(s.pfsync()), simClock);
            pf.schedule(s.faults());
            if (simTime == SimTime.STEPPED) {
                pf.advance(s.elapsed());
                readerClock = simClock;
            }
            device = pf;
        } else if (source.replay().isPresent()) {
            try {
                ReplayPfDevice replay = ReplayPfDevice.open(source.replay().get());
                device = replay;
                readerClock = replay.recordedClock();   // snapshots carry the recorded poll times
            } catch (IOException | RuntimeException e) {
                throw new NoPfException("cannot replay " + source.replay().get() + ": " + e.getMessage());
            }
        } else if (source.fd().isPresent()) {
            device = PfDevices.fromDescriptor(source.fd().getAsInt());
        } else {
            device = PfDevices.open(source.device());
        }
        AbiRelease release;
        try {
            release = source.abi().isPresent() ? source.abi().get() : PfDevices.release(device);
        } catch (NoPfException | RuntimeException e) {
            device.close();
            throw e;
        }
        return new PfSession(device, release, readerClock, BootTime.of(device), sourceNodes, source.addressTables(),
                source.limiterTop());
    }

    /** A session on a device the caller built (tests: a simulator on a manual clock). */
    public static PfSession of(PfDevice device, Optional<AbiRelease> abi, Clock clock) {
        return of(device, abi, clock, List.of());
    }

    /** A session on a device the caller built that also reads these tables' addresses. */
    public static PfSession of(PfDevice device, Optional<AbiRelease> abi, Clock clock, List<TableKey> addressTables) {
        AbiRelease release = abi.orElseGet(() -> AbiRelease.forKernelRelease(device.kernelRelease()));
        return new PfSession(device, release, clock, BootTime.of(device), addressTables);
    }

    /** The tables whose addresses every poll reads. */
    public List<TableKey> addressTables() {
        return reader.addressTables();
    }

    public PfSnapshot poll() {
        return reader.poll();
    }

    public PfDevice device() {
        return device;
    }

    public AbiRelease release() {
        return release;
    }

    /** The clock snapshots are stamped with: the wall clock, the simulated clock, or a trace's poll times. */
    public Clock clock() {
        return clock;
    }

    public BootTime bootTime() {
        return bootTime;
    }

    public Optional<SimulatedPf> simulator() {
        return simulator;
    }

    @Override
    public void close() {
        device.close();
    }
}
