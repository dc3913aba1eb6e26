package org.pfmeter.exporter.poll;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.pfmeter.exporter.config.StatesConfig;
import org.pfmeter.pf.model.PfSnapshot;
import org.pfmeter.pf.model.Rules;
import org.pfmeter.pf.states.StateBreakdownReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state-table breakdown on its own cadence ({@code states.interval}): after a poll, when the
 * interval has passed since the last read, the table is read on the breakdown's own thread (a
 * million states take a second or more; the poll does not wait), with the rule numbers named through
 * that poll's rules. Without an executor (tests) the read runs on the caller's thread. The latest
 * outcome is kept for the collector, the MXBean, show and /api/states.
 */
public final class StatesPoller implements SnapshotListener {

    private static final Logger LOG = LoggerFactory.getLogger(StatesPoller.class);

    private final StateBreakdownReader reader;
    private final StatesConfig config;
    private final Clock clock;
    private final Optional<ExecutorService> executor;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicLong reads = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private volatile Instant lastStart;
    private volatile StateBreakdownReader.Outcome latest;
    private volatile Optional<StateBreakdownReader.Read> lastRead = Optional.empty();

    public StatesPoller(StateBreakdownReader reader, StatesConfig config, Clock clock, Optional<ExecutorService> executor) {
        this.reader = reader;
        this.config = config;
        this.clock = clock;
        this.executor = executor;
    }

    public StatesConfig config() {
        return config;
    }

    @Override
    public void onSnapshot(PfSnapshot snapshot, PollStats stats) {
        Instant now = clock.instant();
        if (lastStart != null && Duration.between(lastStart, now).compareTo(config.interval()) < 0) {
            return;
        }
        if (!running.compareAndSet(false, true)) {
            return;                                  // the last read is still running: skip this turn
        }
        lastStart = now;
        Rules rules = snapshot.rules().value().orElse(lastRules);
        if (executor.isPresent()) {
            try {
                executor.get().execute(() -> readNow(rules));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                running.set(false);                  // shutting down
            }
        } else {
            readNow(rules);
        }
    }

    private volatile Rules lastRules;

    /** Reads now on the calling thread and returns the outcome. */
    public StateBreakdownReader.Outcome readNow(Rules rules) {
        running.set(true);
        try {
            if (rules != null) {
                lastRules = rules;
            }
            StateBreakdownReader.Outcome o = reader.read(rules != null ? rules : lastRules, config.maxStates(), config.top());
            // published before it is counted: whoever sees reads() move also sees the breakdown
            if (o instanceof StateBreakdownReader.Read r) {
                lastRead = Optional.of(r);
            }
            latest = o;
            if (o instanceof StateBreakdownReader.Read) {
                reads.incrementAndGet();
            } else if (o instanceof StateBreakdownReader.Skipped s) {
                if (skipped.getAndIncrement() == 0) {
                    LOG.warn("state table not read: it holds {} states, more than states.max-states = {}", s.states(), s.bound());
                }
            } else if (o instanceof StateBreakdownReader.Failed f && errors.getAndIncrement() == 0) {
                LOG.warn("state table not read: {}", f.error().message());
            }
            return o;
        } finally {
            running.set(false);
        }
    }

    /** The last outcome (a read, a skip or a failure), if any. */
    public Optional<StateBreakdownReader.Outcome> latest() {
        return Optional.ofNullable(latest);
    }

    /** The last successful breakdown, which may be older than the last outcome. */
    public Optional<StateBreakdownReader.Read> lastRead() {
        return lastRead;
    }

    public long reads() {
        return reads.get();
    }

    public long skipped() {
        return skipped.get();
    }

    public long errors() {
        return errors.get();
    }

    public long bufferBytes() {
        return reader.bufferBytes();
    }
}
