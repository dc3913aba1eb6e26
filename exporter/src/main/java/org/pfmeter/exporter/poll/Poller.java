package org.pfmeter.exporter.poll;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.pfmeter.pf.model.PfError;
import org.pfmeter.pf.model.PfSnapshot;
import org.pfmeter.pf.model.Status;
import org.pfmeter.pf.model.Subsystem;
import org.pfmeter.pf.model.SubsystemResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one {@link PfSnapshot} per interval, makes it the latest in the {@link SnapshotHolder} and
 * hands it to every {@link SnapshotListener}. Tests drive it with {@link #pollOnce()}; only the
 * daemon {@link #start}s the schedule. One poll runs at a time; scrapes never wait for one.
 */
public final class Poller {

    private static final Logger LOG = LoggerFactory.getLogger(Poller.class);

    private final Supplier<PfSnapshot> source;
    private final Clock clock;
    private final Duration interval;
    private final SnapshotHolder holder;
    private final List<SnapshotListener> listeners = new CopyOnWriteArrayList<>();
    private final ReentrantLock pollLock = new ReentrantLock();
    private final SubsystemStateLog stateLog = new SubsystemStateLog();
    private final Map<SnapshotListener, Boolean> failingListeners = new java.util.concurrent.ConcurrentHashMap<>();

    private PollStats stats = PollStats.NONE;
    private Optional<String> lastChecksum = Optional.empty();
    private ScheduledExecutorService scheduler;
    private ScheduledFuture<?> scheduled;

    /**
     * @param source reads one snapshot; pf errors are in the snapshot, an exception counts as every
     *               subsystem failing
     */
    public Poller(Supplier<PfSnapshot> source, Clock clock, Duration interval, SnapshotHolder holder) {
        this.source = Objects.requireNonNull(source);
        this.clock = Objects.requireNonNull(clock);
        this.interval = Objects.requireNonNull(interval);
        this.holder = Objects.requireNonNull(holder);
    }

    public void addListener(SnapshotListener l) {
        listeners.add(l);
    }

    public void removeListener(SnapshotListener l) {
        listeners.remove(l);
    }

    public Duration interval() {
        return interval;
    }

    public SnapshotHolder holder() {
        return holder;
    }

    /** The counters after the last poll. */
    public PollStats stats() {
        return holder.latest().map(SnapshotHolder.Latest::stats).orElse(PollStats.NONE);
    }

    /** Polls now on the calling thread (after a poll in flight, if any) and returns the new snapshot. */
    public PfSnapshot pollOnce() {
        pollLock.lock();
        try {
            Instant started = clock.instant();
            OptionalLong allocatedBefore = ThreadAllocation.current();
            long t0 = System.nanoTime();
            PfSnapshot s;
            try {
                s = source.get();
            } catch (RuntimeException | Error e) {
                // a bug or a broken native library (JNA's UnsatisfiedLinkError) in one poll must not
                // stop polling: the poll counts as failed in every subsystem and says why
                rethrowIfFatal(e);
                s = everythingFailed(started, Duration.ofNanos(System.nanoTime() - t0), e);
            }
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            OptionalLong allocated = ThreadAllocation.since(allocatedBefore);
            stats = next(stats, s, started, took, allocated);
            holder.set(s, stats);
            stateLog.observe(s);
            for (SnapshotListener l : listeners) {
                try {
                    l.onSnapshot(s, stats);
                    if (failingListeners.remove(l) != null) {
                        LOG.info("snapshot consumer {} works again", l.getClass().getSimpleName());
                    }
                } catch (RuntimeException | Error e) {
                    rethrowIfFatal(e);
                    if (failingListeners.put(l, Boolean.TRUE) == null) {
                        LOG.warn("snapshot consumer {} failed: {}", l.getClass().getSimpleName(), e.toString());
                    }
                }
            }
            return s;
        } finally {
            pollLock.unlock();
        }
    }

    private PollStats next(PollStats before, PfSnapshot s, Instant started, Duration took, OptionalLong allocated) {
        Map<Subsystem, Long> errors = new EnumMap<>(before.errors());
        boolean anyOk = false;
        for (Subsystem sub : Subsystem.values()) {
            if (s.result(sub).isOk()) {
                anyOk = true;
            } else if (s.result(sub).error().isPresent()) {
                errors.merge(sub, 1L, Long::sum);
            }
        }
        long changes = before.rulesetChanges();
        Optional<String> checksum = s.status().value().map(Status::checksum);
        if (checksum.isPresent()) {
            if (lastChecksum.isPresent() && !lastChecksum.get().equals(checksum.get())) {
                changes++;
                LOG.info("ruleset changed: checksum {} -> {}", lastChecksum.get(), checksum.get());
            }
            lastChecksum = checksum;
        }
        return new PollStats(before.polls() + 1, before.successfulPolls() + (anyOk ? 1 : 0), errors,
                Optional.of(started), took, anyOk ? Optional.of(started) : before.lastSuccessAt(), changes, allocated);
    }

    /** Out of memory and the like: nothing sensible can continue, so they are not swallowed. */
    private static void rethrowIfFatal(Throwable e) {
        if (e instanceof VirtualMachineError vme) {
            throw vme;
        }
    }

    private static PfSnapshot everythingFailed(Instant at, Duration took, Throwable e) {
        PfError err = new PfError(PfError.Kind.OTHER, "", 0, "", "poll failed: " + e);
        return new PfSnapshot(at, took, "", SubsystemResult.failed(err), SubsystemResult.failed(err),
                SubsystemResult.failed(err), SubsystemResult.failed(err), SubsystemResult.failed(err),
                SubsystemResult.failed(err), SubsystemResult.failed(err), SubsystemResult.failed(err),
                SubsystemResult.failed(err), SubsystemResult.failed(err),
                SubsystemResult.failed(err), SubsystemResult.failed(err));
    }

    /** Polls now and then every interval on {@code executor} (the daemon). */
    public synchronized void start(ScheduledExecutorService executor) {
        if (scheduled != null) {
            throw new IllegalStateException("already started");
        }
        this.scheduler = executor;
        this.scheduled = executor.scheduleAtFixedRate(() -> {
            try {
                pollOnce();
            } catch (RuntimeException | Error e) {
                LOG.error("poll failed unexpectedly: {}", e.toString());
            }
        }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops the schedule and waits up to {@code grace} for a poll in flight to finish. */
    public synchronized void stop(Duration grace) {
        if (scheduled != null) {
            scheduled.cancel(false);
            scheduler.shutdown();
            try {
                if (!scheduler.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.warn("the poll in flight did not finish within {} ms", grace.toMillis());
                    scheduler.shutdownNow();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            scheduled = null;
        }
        // a pollOnce() from JMX may still be running: wait for it too
        try {
            if (pollLock.tryLock(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                pollLock.unlock();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
