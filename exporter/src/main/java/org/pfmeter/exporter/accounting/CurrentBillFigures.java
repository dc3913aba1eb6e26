package org.pfmeter.exporter.accounting;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.pfmeter.accounting.bills.Bill;
import org.pfmeter.accounting.bills.Bills;
import org.pfmeter.accounting.bills.PeriodFigures;

/**
 * The current period's figures of every bill, for the metrics: computing them reads a period of
 * 5-minute rows, so the ledger's writer computes them after a written poll at most once every
 * {@link #EVERY}, and a scrape only reads the last ones ({@link BillsCollector}). The figures are
 * those of {@code pfmeter bills}: as of the last stored poll, the current period of each bill.
 */
public final class CurrentBillFigures {

    /** How often at most the writer reads the database for the bills' figures. */
    public static final Duration EVERY = Duration.ofMinutes(1);

    /**
     * One computation.
     *
     * @param computedAt when they were computed, on the never-stepped clock the age is measured with
     * @param asOf       the instant the figures are as of (the last stored poll)
     * @param current    the current period of each bill, in the bills file's order
     */
    public record Computed(Instant computedAt, Instant asOf, List<PeriodFigures> current) {
        public Computed {
            current = List.copyOf(current);
        }
    }

    private final Clock elapsed;
    private final Duration every;
    private volatile Computed last;
    /** Only the writer: the last try, so that a database that fails is read at most once every {@code every} too. */
    private Instant lastTry;
    private final AtomicLong failures = new AtomicLong();

    /** @param elapsed never stepped: times the computations and the figures' age */
    public CurrentBillFigures(Clock elapsed, Duration every) {
        this.elapsed = Objects.requireNonNull(elapsed, "elapsed");
        this.every = Objects.requireNonNull(every, "every");
    }

    /**
     * On the writer, after a written poll: computes the figures unless the last ones are younger
     * than {@code every} (nor the last try). A failure is counted and leaves the last figures (which then age).
     *
     * @return true if it computed them
     */
    boolean refreshIfDue(Bills bills) {
        Instant now = elapsed.instant();
        if (lastTry != null && Duration.between(lastTry, now).compareTo(every) < 0) {
            return false;
        }
        lastTry = now;
        try {
            Instant asOf = bills.lastPoll().orElse(now);
            List<PeriodFigures> current = new ArrayList<>();
            for (Bill b : bills.file().bills()) {
                current.add(bills.history(b, asOf, 0).get(0));
            }
            last = new Computed(now, asOf, current);
            return true;
        } catch (RuntimeException e) {
            failures.incrementAndGet();
            throw e;
        }
    }

    /** The last figures computed; empty before the first. */
    public Optional<Computed> last() {
        return Optional.ofNullable(last);
    }

    /** How old {@code c} is now. */
    public Duration age(Computed c) {
        Duration d = Duration.between(c.computedAt(), elapsed.instant());
        return d.isNegative() ? Duration.ZERO : d;
    }

    /** Computations that failed (the database could not be read). */
    public long failures() {
        return failures.get();
    }
}
