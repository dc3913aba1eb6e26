package org.pfmeter.exporter.poll;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import org.pfmeter.exporter.config.PfSourceConfig;
import org.pfmeter.exporter.config.SimulationConfig;
import org.pfmeter.pf.FreeBsdPfReader;
import org.pfmeter.pf.PfReader;
import org.pfmeter.pf.PfSnapshotReader;
import org.pfmeter.pf.SourceNodeOptions;
import org.pfmeter.pf.abi.AbiRelease;
import org.pfmeter.pf.abi.FreeBsdRelease;
import org.pfmeter.pf.abi.PfDevice;
import org.pfmeter.pf.abi.PfDeviceException;
import org.pfmeter.pf.abi.PfDevices;
import org.pfmeter.pf.abi.PfDevices.NoPfException;
import org.pfmeter.pf.abi.PfProtocol;
import org.pfmeter.pf.abi.PfRelease;
import org.pfmeter.pf.abi.netlink.JnaNetlinkSocket;
import org.pfmeter.pf.abi.netlink.NetlinkSocket;
import org.pfmeter.pf.abi.netlink.PfnlStateTable;
import org.pfmeter.pf.model.TableKey;
import org.pfmeter.pf.model.PfSnapshot;
import org.pfmeter.pf.sim.FreeBsdSimulators;
import org.pfmeter.pf.sim.SimClock;
import org.pfmeter.pf.sim.SimConfig;
import org.pfmeter.pf.sim.SimulatedPf;
import org.pfmeter.pf.states.StateBreakdownReader;
import org.pfmeter.pf.trace.ReplayNetlinkSocket;
import org.pfmeter.pf.trace.ReplayPfDevice;
import org.pfmeter.pf.trace.TraceHeader;

/**
 * An open pf with the release chosen for it and a reader: what one {@code show} or one daemon reads
 * from. OpenBSD's pf is a {@link PfDevice} read by a {@link PfReader}; FreeBSD's is a
 * {@link NetlinkSocket} (and /dev/pf, for the ioctls FreeBSD kept) read by a {@link FreeBsdPfReader}.
 * Closing the session closes what it opened.
 */
public final class PfSession implements AutoCloseable {

    /** How long the netlink socket waits for FreeBSD's kernel before the poll fails. */
    static final Duration NETLINK_TIMEOUT = Duration.ofSeconds(10);

    private final PfRelease release;
    private final PfSnapshotReader reader;
    private final Optional<PfDevice> device;
    private final Optional<NetlinkSocket> netlink;
    private final Optional<NetlinkSocket> statesNetlink;
    private final BootTime bootTime;
    private final Optional<Consumer<Duration>> simulation;
    private final boolean kernel;
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
        this(release, new PfReader(device, release, clock, PfProtocol.DEFAULT_BUSY_ATTEMPTS, sourceNodes, limiterTop,
                addressTables), Optional.of(device), Optional.empty(), Optional.empty(), clock, bootTime,
                device instanceof SimulatedPf s ? Optional.of(s::advance) : Optional.empty(), PfDevices.isKernelDevice(device));
    }

    private PfSession(PfRelease release, PfSnapshotReader reader, Optional<PfDevice> device, Optional<NetlinkSocket> netlink,
                      Optional<NetlinkSocket> statesNetlink, Clock clock, BootTime bootTime, Optional<Consumer<Duration>> simulation, boolean kernel) {
        this.release = release;
        this.reader = reader;
        this.device = device;
        this.netlink = netlink;
        this.statesNetlink = statesNetlink;
        this.clock = clock;
        this.bootTime = bootTime;
        this.simulation = simulation;
        this.kernel = kernel;
    }

    /**
     * A session on FreeBSD's pf: {@code socket} is its generic netlink socket (the kernel's, a
     * simulator's, a trace's or a test script's); {@code devPf} the /dev/pf of the same kernel when open.
     *
     * @param simulation lets a simulated host's time pass ({@code record}, {@code show}); empty otherwise
     * @param kernel     the running kernel's pf (keeping root on it is refused), not a simulator or trace
     */
    public static PfSession freeBsd(FreeBsdRelease release, NetlinkSocket socket, Optional<PfDevice> devPf, Clock clock,
                                    BootTime bootTime, SourceNodeOptions sourceNodes,
                                    Optional<Consumer<Duration>> simulation, boolean kernel) {
        return freeBsd(release, socket, Optional.empty(), devPf, clock, bootTime, sourceNodes, simulation, kernel);
    }

    /**
     * As above, with a second netlink socket of the same kernel for the state-table breakdown
     * (PFNL_CMD_GETSTATES streams its own dump on its own cadence); without it the breakdown is not read.
     */
    public static PfSession freeBsd(FreeBsdRelease release, NetlinkSocket socket, Optional<NetlinkSocket> statesSocket,
                                    Optional<PfDevice> devPf, Clock clock, BootTime bootTime,
                                    SourceNodeOptions sourceNodes, Optional<Consumer<Duration>> simulation,
                                    boolean kernel) {
        FreeBsdPfReader reader = new FreeBsdPfReader(socket, devPf.orElse(null), clock,
                PfProtocol.DEFAULT_BUSY_ATTEMPTS, sourceNodes);
        return new PfSession(release, reader, devPf, Optional.of(socket), statesSocket, clock, bootTime, simulation,
                kernel);
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
        return open(source, clock, simTime, sourceNodes, FreeBsdSimulators.DEFAULT);
    }

    /**
     * The one place that chooses the platform: a simulated OpenBSD or FreeBSD pf (by
     * {@code simulate.release}), a trace (by its header), or the host's pf (by {@code uname}, or
     * {@code pf.abi} when set).
     *
     * @param freeBsdSimulators builds a simulated FreeBSD host ({@link FreeBsdSimulators#DEFAULT}; tests: a script)
     */
    public static PfSession open(PfSourceConfig source, Clock clock, SimTime simTime, SourceNodeOptions sourceNodes,
                                 FreeBsdSimulators.Factory freeBsdSimulators) throws NoPfException {
        if (source.simulation().isPresent()) {
            return simulated(source, source.simulation().get(), clock, simTime, sourceNodes, freeBsdSimulators);
        }
        if (source.replay().isPresent()) {
            return replay(source, sourceNodes);
        }
        Platform platform = platformFor(System.getProperty("os.name", ""), source.abi());
        if (platform == Platform.FREEBSD) {
            return freeBsdKernel(source, clock, sourceNodes);
        }
        PfDevice device = source.fd().isPresent() ? PfDevices.fromDescriptor(source.fd().getAsInt()) : PfDevices.open(source.device());
        return openBsd(device, source, clock, sourceNodes);
    }

    /** Which platform's pf to read on a host running {@code osName}: FreeBSD's, or OpenBSD's (which says no elsewhere). */
    enum Platform { OPENBSD, FREEBSD }

    /**
     * FreeBSD on a FreeBSD host or when a FreeBSD release is forced; OpenBSD otherwise, whose device
     * opening keeps saying on Linux that there is no pf and how to use the simulator.
     *
     * @throws NoPfException when the forced release is another platform's than the host's
     */
    static Platform platformFor(String osName, Optional<PfRelease> forced) throws NoPfException {
        boolean freeBsdHost = osName.toLowerCase(Locale.ROOT).startsWith("freebsd");
        if (forced.isPresent() && forced.get() instanceof FreeBsdRelease f && !freeBsdHost) {
            throw new NoPfException("--abi " + f.id() + " reads FreeBSD's pf, but this host runs "
                    + (osName.isBlank() ? "an unknown system" : osName) + "; use --simulate --sim-release " + f.id()
                    + " to try pfmeter here");
        }
        if (forced.isPresent() && forced.get() instanceof AbiRelease a && freeBsdHost) {
            throw new NoPfException("--abi " + a.id() + " is an OpenBSD release, but this host runs FreeBSD: choose "
                    + FreeBsdRelease.supportedIds() + ", or leave --abi out to use the kernel's");
        }
        return freeBsdHost ? Platform.FREEBSD : Platform.OPENBSD;
    }

    private static PfSession openBsd(PfDevice device, PfSourceConfig source, Clock readerClock, SourceNodeOptions sourceNodes)
            throws NoPfException {
        AbiRelease release;
        try {
            if (source.abi().isPresent() && !(source.abi().get() instanceof AbiRelease)) {
                throw new NoPfException(device.describe() + " is OpenBSD's pf, but --abi " + source.abi().get().id()
                        + " is a FreeBSD release; choose " + AbiRelease.supported());
            }
            release = source.abi().isPresent() ? (AbiRelease) source.abi().get() : PfDevices.release(device);
        } catch (NoPfException | RuntimeException e) {
            device.close();
            throw e;
        }
        return new PfSession(device, release, readerClock, BootTime.of(device), sourceNodes, source.addressTables(),
                source.limiterTop());
    }

    private static PfSession simulated(PfSourceConfig source, SimulationConfig s, Clock clock, SimTime simTime,
                                       SourceNodeOptions sourceNodes, FreeBsdSimulators.Factory freeBsdSimulators)
            throws NoPfException {
        // A stepped simulation (show, record) starts at the beginning of the current UTC day, so
        // that the same seed shows the same numbers however many seconds apart two commands run.
        Instant start = simTime == SimTime.STEPPED ? clock.instant().truncatedTo(java.time.temporal.ChronoUnit.DAYS) : clock.instant();
        SimClock simClock = simTime == SimTime.STEPPED ? SimClock.manual(start) : SimClock.scaled(clock, start, s.speed());
        Clock readerClock = simTime == SimTime.STEPPED ? simClock : clock;
        if (s.release() instanceof FreeBsdRelease f) {
            if (source.abi().isPresent() && source.abi().get() != f) {
                throw new NoPfException("--abi " + source.abi().get().id() + " does not match --sim-release " + f.id()
                        + ": leave --abi out with --simulate");
            }
            FreeBsdSimulators.Host host = freeBsdSimulators.create(
                    new FreeBsdSimulators.Spec(s.seed(), s.scale(), f, s.faults()), simClock);
            if (simTime == SimTime.STEPPED) {
                host.advance().accept(s.elapsed());
            }
            return freeBsd(f, host.netlink(), host.statesNetlink(), host.devPf(), readerClock, host::bootTime,
                    sourceNodes, Optional.of(host.advance()), false);
        }
        SimulatedPf pf = new SimulatedPf(new SimConfig(s.seed(), (AbiRelease) s.release(), s.scale()).withPfsync(s.pfsync()), simClock);
        pf.schedule(s.faults());
        if (simTime == SimTime.STEPPED) {
            pf.advance(s.elapsed());
        }
        return openBsd(pf, source, readerClock, sourceNodes);
    }

    /** A trace: its header says whose pf it recorded. */
    private static PfSession replay(PfSourceConfig source, SourceNodeOptions sourceNodes) throws NoPfException {
        Path file = source.replay().get();
        ReplayPfDevice replay;
        try {
            if (TraceHeader.read(file).isFreeBsd()) {
                return replayFreeBsd(source, file, sourceNodes);
            }
            replay = ReplayPfDevice.open(file);
        } catch (IOException | RuntimeException e) {
            throw new NoPfException("cannot replay " + file + ": " + e.getMessage());
        }
        // snapshots carry the recorded poll times
        return openBsd(replay, source, replay.recordedClock(), sourceNodes);
    }

    private static PfSession replayFreeBsd(PfSourceConfig source, Path file, SourceNodeOptions sourceNodes)
            throws IOException, NoPfException {
        ReplayNetlinkSocket replay = ReplayNetlinkSocket.open(file);
        if (source.abi().isPresent() && source.abi().get() != replay.release()) {
            replay.close();
            throw new NoPfException("cannot replay " + file + ": it was recorded from " + replay.release().id()
                    + ", not from --abi " + source.abi().get().id());
        }
        // /dev/pf's ioctls when the trace recorded them; a netlink-only trace has none (interfaces, ALTQ not present)
        return freeBsd(replay.release(), replay, replay.device(), replay.recordedClock(), replay::bootTime,
                sourceNodes, Optional.empty(), false);
    }

    /** FreeBSD's kernel: its netlink socket and /dev/pf (by path or inherited descriptor). */
    private static PfSession freeBsdKernel(PfSourceConfig source, Clock clock, SourceNodeOptions sourceNodes)
            throws NoPfException {
        FreeBsdRelease release = source.abi().isPresent() ? (FreeBsdRelease) source.abi().get()
                : FreeBsdRelease.forRunningKernel(System.getProperty("os.version", ""));
        if (source.fd().isEmpty() && !Files.exists(Path.of(source.device()))) {
            throw new NoPfException(source.device() + " does not exist: pf is not loaded on this FreeBSD "
                    + "(kldload pf, or pf_enable=\"YES\" in /etc/rc.conf); use --simulate to try pfmeter without it");
        }
        NetlinkSocket socket;
        try {
            socket = JnaNetlinkSocket.open(NETLINK_TIMEOUT);
        } catch (PfDeviceException e) {
            throw new NoPfException("cannot open FreeBSD's pf over netlink: " + e.getMessage());
        }
        PfDevice devPf;
        NetlinkSocket statesSocket;
        try {
            devPf = source.fd().isPresent() ? PfDevices.fromDescriptor(source.fd().getAsInt()) : PfDevices.open(source.device());
        } catch (NoPfException | RuntimeException e) {
            socket.close();
            throw e;
        }
        try {
            // opened now, with the privileges the first one had: FreeBSD checks them when a socket is made
            statesSocket = JnaNetlinkSocket.open(NETLINK_TIMEOUT);
        } catch (PfDeviceException e) {
            socket.close();
            devPf.close();
            throw new NoPfException("cannot open FreeBSD's pf over netlink: " + e.getMessage());
        }
        return freeBsd(release, socket, Optional.of(statesSocket), Optional.of(devPf), clock, BootTime.of(devPf),
                sourceNodes, Optional.empty(), true);
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

    /** The ioctl device: OpenBSD's pf, or FreeBSD's /dev/pf when open. */
    public Optional<PfDevice> device() {
        return device;
    }

    /** FreeBSD's netlink socket; empty on OpenBSD. */
    public Optional<NetlinkSocket> netlink() {
        return netlink;
    }

    public PfRelease release() {
        return release;
    }

    /** OpenBSD's ABI release; empty for FreeBSD. */
    public Optional<AbiRelease> openBsdRelease() {
        return release instanceof AbiRelease a ? Optional.of(a) : Optional.empty();
    }

    /** What is read, for logs: "/dev/pf", "simulated pf (seed 1)", "netlink (pfctl family)". */
    public String describe() {
        return netlink.map(NetlinkSocket::describe).orElseGet(() -> device.orElseThrow().describe());
    }

    /** True for the running kernel's pf (device, descriptor or netlink socket), false for a simulator or trace. */
    public boolean kernel() {
        return kernel;
    }

    /**
     * A reader of the state table: DIOCGETSTATES on OpenBSD's device; PFNL_CMD_GETSTATES on FreeBSD's
     * second netlink socket (empty when the session has none: a trace).
     */
    public Optional<StateBreakdownReader> stateReader() {
        if (release instanceof AbiRelease r) {
            return Optional.of(new StateBreakdownReader(device.orElseThrow(), r, clock));
        }
        return statesNetlink.map(s -> new StateBreakdownReader(new PfnlStateTable(s), clock));
    }

    /** The clock snapshots are stamped with: the wall clock, the simulated clock, or a trace's poll times. */
    public Clock clock() {
        return clock;
    }

    public BootTime bootTime() {
        return bootTime;
    }

    /** True when the pf is simulated: {@link #advanceSimulation} lets its time pass. */
    public boolean simulated() {
        return simulation.isPresent();
    }

    /** Lets {@code d} of simulated time pass. */
    public void advanceSimulation(Duration d) {
        simulation.orElseThrow(() -> new IllegalStateException("not a simulated pf")).accept(d);
    }

    @Override
    public void close() {
        try {
            netlink.ifPresent(NetlinkSocket::close);
            statesNetlink.ifPresent(NetlinkSocket::close);
        } finally {
            device.ifPresent(PfDevice::close);
        }
    }
}
