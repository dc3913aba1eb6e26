package org.pfmeter.pf;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.pfmeter.pf.abi.AbiRelease;
import org.pfmeter.pf.abi.Errno;
import org.pfmeter.pf.abi.LimiterProtocol;
import org.pfmeter.pf.abi.PfDevice;
import org.pfmeter.pf.abi.PfIoctlException;
import org.pfmeter.pf.abi.PfProtocol;
import org.pfmeter.pf.model.InterfaceCounters;
import org.pfmeter.pf.model.Limits;
import org.pfmeter.pf.model.PfError;
import org.pfmeter.pf.model.PfSnapshot;
import org.pfmeter.pf.model.PfsyncStats;
import org.pfmeter.pf.model.TableAddresses;
import org.pfmeter.pf.model.TableKey;
import org.pfmeter.pf.model.QueueStats;
import org.pfmeter.pf.model.RuleCounters;
import org.pfmeter.pf.model.Rules;
import org.pfmeter.pf.model.SourceNodes;
import org.pfmeter.pf.model.SourceLimiter;
import org.pfmeter.pf.model.StateLimiter;
import org.pfmeter.pf.model.Status;
import org.pfmeter.pf.model.Subsystem;
import org.pfmeter.pf.model.SubsystemResult;
import org.pfmeter.pf.model.TableStats;
import org.pfmeter.pf.model.Timeouts;

/**
 * One poll of pf = one immutable {@link PfSnapshot}. Each subsystem is read separately: one that
 * fails is reported in the snapshot with its error, and the others still arrive.
 */
public final class PfReader implements PfSnapshotReader {

    /** Address entries kept per source limiter by default (the rest are only counted). */
    public static final int DEFAULT_SOURCE_TOP = 10;

    private final PfProtocol protocol;
    private final LimiterProtocol limiters;     // null: the release has none
    private final int sourceTop;
    private final AbiRelease release;
    private final Clock clock;
    private final String device;
    private final SourceNodeOptions sourceNodes;
    private final List<TableKey> addressTables;

    public PfReader(PfDevice device, AbiRelease release, Clock clock) {
        this(device, release, clock, PfProtocol.DEFAULT_BUSY_ATTEMPTS);
    }

    public PfReader(PfDevice device, AbiRelease release, Clock clock, int busyAttempts) {
        this(device, release, clock, busyAttempts, SourceNodeOptions.DEFAULT, DEFAULT_SOURCE_TOP, List.of());
    }

    public PfReader(PfDevice device, AbiRelease release, Clock clock, int busyAttempts, SourceNodeOptions sourceNodes) {
        this(device, release, clock, busyAttempts, sourceNodes, DEFAULT_SOURCE_TOP, List.of());
    }

    public PfReader(PfDevice device, AbiRelease release, Clock clock, int busyAttempts, List<TableKey> addressTables) {
        this(device, release, clock, busyAttempts, SourceNodeOptions.DEFAULT, DEFAULT_SOURCE_TOP, addressTables);
    }

    /**
     * @param sourceTop     address entries kept per source limiter (the most states in use first)
     * @param addressTables the tables whose per-address counters each poll reads (DIOCRGETASTATS),
     *                      in this order; none: the table-addresses subsystem is not present
     */
    public PfReader(PfDevice device, AbiRelease release, Clock clock, int busyAttempts, SourceNodeOptions sourceNodes,
                    int sourceTop, List<TableKey> addressTables) {
        if (sourceTop < 0) {
            throw new IllegalArgumentException("sourceTop must be at least 0, got " + sourceTop);
        }
        this.sourceNodes = sourceNodes;
        this.protocol = new PfProtocol(device, release.abi(), busyAttempts);
        this.limiters = release.hasLimiters() ? new LimiterProtocol(device, release.abi(), busyAttempts) : null;
        this.sourceTop = sourceTop;
        this.release = release;
        this.clock = clock;
        this.device = device.describe();
        this.addressTables = List.copyOf(addressTables);
    }

    /** The tables whose addresses every poll reads. */
    @Override
    public List<TableKey> addressTables() {
        return addressTables;
    }

    public AbiRelease release() {
        return release;
    }

    /** Reads every subsystem once. Never throws for a pf error: those are in the snapshot. */
    @Override
    public synchronized PfSnapshot poll() {
        Instant start = clock.instant();
        long t0 = System.nanoTime();
        SubsystemResult<Status> status = read(protocol::readStatus);
        SubsystemResult<Limits> limits = read(protocol::readLimits);
        SubsystemResult<Timeouts> timeouts = read(protocol::readTimeouts);
        SubsystemResult<List<InterfaceCounters>> interfaces = read(protocol::readInterfaces);
        SubsystemResult<Rules> rules = read(protocol::readRules);
        SubsystemResult<List<TableStats>> tables = read(protocol::readTables);
        SubsystemResult<List<QueueStats>> queues = read(protocol::readQueues);
        // after the rules: a node names its rule by number, resolved through the rules just read
        List<RuleCounters> ruleList = rules.value().map(Rules::rules).orElse(List.of());
        SubsystemResult<SourceNodes> nodes = read(() -> protocol.readSourceNodes(ruleList, sourceNodes.bound(), sourceNodes.top()));
        SubsystemResult<List<StateLimiter>> stateLimiters = limiters == null ? noLimiters("state")
                : read(limiters::readStateLimiters);
        SubsystemResult<List<SourceLimiter>> sourceLimiters = limiters == null ? noLimiters("source")
                : read(() -> limiters.readSourceLimiters(sourceTop));
        SubsystemResult<PfsyncStats> pfsync = pfsync(interfaces);
        // nothing named, nothing read: "not present" as for an unconfigured pfsync, not an error
        SubsystemResult<List<TableAddresses>> addresses = addressTables.isEmpty()
                ? SubsystemResult.notPresent(NO_ADDRESS_TABLES)
                : read(() -> protocol.readTableAddresses(addressTables));
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        PfSnapshot s = new PfSnapshot(start, took, release.version(), status, limits, timeouts, interfaces, rules, tables, queues,
                nodes, stateLimiters, sourceLimiters, pfsync, addresses);
        return notPf(unknownRequestsAsAbiMismatch(s));
    }

    /**
     * Reads only what the ledger uses: status, rules, tables (their own counters) and the entries of
     * the tables named in {@link #addressTables()} (for {@code pfmeter simulate}, which polls a
     * simulated month as fast as it can: limits, timeouts, interfaces, queues, source nodes,
     * limiters and pfsync were a quarter of its time). The other subsystems are failed results that
     * say they were not read.
     */
    @Override
    public synchronized PfSnapshot pollForLedger() {
        Instant start = clock.instant();
        long t0 = System.nanoTime();
        SubsystemResult<Status> status = read(protocol::readStatus);
        SubsystemResult<Rules> rules = read(protocol::readRules);
        SubsystemResult<List<TableStats>> tables = read(protocol::readTables);
        SubsystemResult<List<TableAddresses>> addresses = addressTables.isEmpty()
                ? SubsystemResult.notPresent(NO_ADDRESS_TABLES)
                : read(() -> protocol.readTableAddresses(addressTables));
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        return new PfSnapshot(start, took, release.version(), status, notRead(), notRead(), notRead(), rules, tables,
                notRead(), notRead(), notRead(), notRead(), notRead(), addresses);
    }

    /** 7.8 (pfvar.h 1.543) has no limiters: not present, which is not a failure. */
    private <T> SubsystemResult<T> noLimiters(String kind) {
        return SubsystemResult.notPresent("pf of OpenBSD " + release.version() + " has no " + kind + " limiters");
    }


    private static final String NO_ADDRESS_TABLES = "no table named in tables.address-counters";

    /** pfsync's unit 0 is the only one pfsync_clone_create() allows. */
    static final String PFSYNC_INTERFACE = "pfsync0";

    /**
     * pfsync's statistics. A GENERIC kernel answers the sysctl whether or not pfsync is configured
     * (all zeros then), so "configured" is decided by the interfaces of the same poll: pfsync is
     * present when a pfsync0 kif exists (pf has a kif for every interface, and pfsync allows only
     * unit 0). A kernel built without pfsync answers ENOPROTOOPT: not present either. When the
     * interfaces could not be read, whether pfsync is configured is unknown: the subsystem fails with
     * the interfaces' error rather than report zeros that may mean "not configured".
     */
    private SubsystemResult<PfsyncStats> pfsync(SubsystemResult<List<InterfaceCounters>> interfaces) {
        SubsystemResult<Optional<PfsyncStats>> r = read(protocol::readPfsync);
        if (!r.isOk()) {
            return r.map(Optional::orElseThrow);
        }
        if (r.value().orElseThrow().isEmpty()) {
            return SubsystemResult.notPresent("net.inet.pfsync.stats answered ENOPROTOOPT: this kernel has no pfsync");
        }
        if (interfaces.error().isPresent()) {
            PfError e = interfaces.error().get();
            return SubsystemResult.failed(new PfError(e.kind(), e.ioctl(), e.errno(), e.errnoName(),
                    "cannot tell whether pfsync is configured (is there a " + PFSYNC_INTERFACE + "?): " + e.message()));
        }
        boolean configured = interfaces.value().orElse(List.of()).stream()
                .anyMatch(i -> !i.group() && i.name().equals(PFSYNC_INTERFACE));
        if (!configured) {
            return SubsystemResult.notPresent("pfsync is not configured: there is no " + PFSYNC_INTERFACE + " interface");
        }
        return r.map(Optional::orElseThrow);
    }

    private static <T> SubsystemResult<T> notRead() {
        return SubsystemResult.failed(new PfError(PfError.Kind.OTHER, "", 0, "", "not read: only what the ledger uses was asked for"));
    }

    /**
     * pf answers a request it does not know with EACCES (read-only descriptor) or ENODEV, never with
     * ENOTTY; ENOTTY is what a device without pf's ioctls answers (/dev/null, a tty). So when every
     * subsystem failed with ENOTTY, the device is not pf, whatever ABI was chosen.
     */
    private PfSnapshot notPf(PfSnapshot s) {
        for (Subsystem sub : Subsystem.values()) {
            if (s.result(sub).isNotPresent() || sub == Subsystem.PFSYNC) {
                continue;                    // nothing asked of the device, or a sysctl
            }
            if (!s.result(sub).error().map(e -> e.errno() == Errno.ENOTTY).orElse(false)) {
                return s;
            }
        }
        return new PfSnapshot(s.takenAt(), s.duration(), s.abiRelease(), asNotPf(s.status()), asNotPf(s.limits()),
                asNotPf(s.timeouts()), asNotPf(s.interfaces()), asNotPf(s.rules()), asNotPf(s.tables()), asNotPf(s.queues()),
                asNotPf(s.sourceNodes()), asNotPf(s.stateLimiters()), asNotPf(s.sourceLimiters()),
                s.pfsync(), addressesNotPf(s.tableAddresses()));
    }

    /** With no table named, nothing was asked of the device: nothing to say about it. */
    private SubsystemResult<List<TableAddresses>> addressesNotPf(SubsystemResult<List<TableAddresses>> r) {
        return r.error().isPresent() ? asNotPf(r) : r;
    }


    private <T> SubsystemResult<T> asNotPf(SubsystemResult<T> r) {
        if (r.isNotPresent()) {
            return r;
        }
        PfError e = r.error().orElseThrow();
        return SubsystemResult.failed(new PfError(PfError.Kind.NO_DEVICE, e.ioctl(), e.errno(), e.errnoName(),
                e.ioctl() + " failed with ENOTTY, as every pf request did: " + device + " is not pf (it knows none of "
                + "pf's ioctls); read /dev/pf on OpenBSD, or use --simulate to try pfmeter elsewhere"));
    }

    /**
     * Every request pfmeter sends is allowed on a read-only descriptor, and pf refuses a request
     * number it does not know with EACCES on such a descriptor (the default case of its FWRITE check).
     * So when some subsystems read fine and others get EACCES, the kernel does not know those request
     * numbers: their structs have another size in the running kernel's release.
     */
    private PfSnapshot unknownRequestsAsAbiMismatch(PfSnapshot s) {
        boolean anyOk = false;
        boolean anyEacces = false;
        for (Subsystem sub : Subsystem.values()) {
            if (sub == Subsystem.PFSYNC) {
                continue;                    // a sysctl says nothing about the ioctls' request numbers
            }
            SubsystemResult<?> r = s.result(sub);
            anyOk |= r.isOk();
            anyEacces |= r.error().map(e -> e.errno() == Errno.EACCES).orElse(false);
        }
        if (!anyOk || !anyEacces) {
            return s;
        }
        return new PfSnapshot(s.takenAt(), s.duration(), s.abiRelease(), reclassify(s.status()), reclassify(s.limits()),
                reclassify(s.timeouts()), reclassify(s.interfaces()), reclassify(s.rules()), reclassify(s.tables()),
                reclassify(s.queues()), reclassify(s.sourceNodes()), reclassify(s.stateLimiters()), reclassify(s.sourceLimiters()),
                s.pfsync(), reclassify(s.tableAddresses()));
    }

    private <T> SubsystemResult<T> reclassify(SubsystemResult<T> r) {
        if (r.error().map(e -> e.errno() == Errno.EACCES).orElse(false)) {
            PfError e = r.error().orElseThrow();
            return SubsystemResult.failed(new PfError(PfError.Kind.ABI_MISMATCH, e.ioctl(), e.errno(), e.errnoName(),
                    e.ioctl() + " failed with EACCES while other requests on the same descriptor succeed: the kernel "
                    + "does not know this request number, so its struct has another size than in OpenBSD "
                    + release.version() + ". Run 'pfmeter abi --release " + release.version()
                    + "' and compare with the kernel's headers, or choose the release with --abi"));
        }
        return r;
    }

    @FunctionalInterface
    private interface Read<T> {
        T get() throws PfIoctlException;
    }

    private static <T> SubsystemResult<T> read(Read<T> r) {
        try {
            return SubsystemResult.ok(r.get());
        } catch (PfIoctlException e) {
            return SubsystemResult.failed(e.error());
        } catch (org.pfmeter.pf.abi.PfDeviceException e) {
            return SubsystemResult.failed(new PfError(PfError.Kind.OTHER, "", 0, "", e.getMessage()));
        } catch (RuntimeException e) {
            return SubsystemResult.failed(new PfError(PfError.Kind.OTHER, "", 0, "", "unexpected failure: " + e));
        }
    }
}
