package org.pfmeter.pf;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.pfmeter.pf.abi.AbiRelease;
import org.pfmeter.pf.abi.PfDevice;
import org.pfmeter.pf.abi.PfIoctlException;
import org.pfmeter.pf.abi.PfProtocol;
import org.pfmeter.pf.model.InterfaceCounters;
import org.pfmeter.pf.model.Limits;
import org.pfmeter.pf.model.PfError;
import org.pfmeter.pf.model.PfSnapshot;
import org.pfmeter.pf.model.QueueStats;
import org.pfmeter.pf.model.Rules;
import org.pfmeter.pf.model.Status;
import org.pfmeter.pf.model.SubsystemResult;
import org.pfmeter.pf.model.TableStats;
import org.pfmeter.pf.model.Timeouts;

/**
 * One poll of pf = one immutable {@link PfSnapshot}. Each subsystem is read separately: one that
 * fails is reported in the snapshot with its error, and the others still arrive.
 */
public final class PfReader {

    private final PfProtocol protocol;
    private final AbiRelease release;
    private final Clock clock;

    public PfReader(PfDevice device, AbiRelease release, Clock clock) {
        this(device, release, clock, PfProtocol.DEFAULT_BUSY_ATTEMPTS);
    }

    public PfReader(PfDevice device, AbiRelease release, Clock clock, int busyAttempts) {
        this.protocol = new PfProtocol(device, release.abi(), busyAttempts);
        this.release = release;
        this.clock = clock;
    }

    public AbiRelease release() {
        return release;
    }

    /** Reads every subsystem once. Never throws for a pf error: those are in the snapshot. */
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
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        return new PfSnapshot(start, took, release.version(), status, limits, timeouts, interfaces, rules, tables, queues);
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
