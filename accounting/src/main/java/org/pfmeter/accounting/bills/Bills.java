package org.pfmeter.accounting.bills;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.pfmeter.accounting.billing.BillingPeriod;
import org.pfmeter.accounting.store.AccountingStore;
import org.pfmeter.accounting.store.SeriesSlots;

/**
 * The bills of a bills file over an accounting database: a period's figures, a bill's history, and
 * the storing of periods that have closed.
 *
 * <p>A period has <em>closed</em> when the figures' instant is at or after its end and every host
 * that polled after the period started has stored a poll at or after its end (a poll's delta lands
 * in the 5-minute interval its poll time ends, so nothing can be added to the period afterwards). A
 * closed period is stored once ({@link BillStore}) and read from there ever after; a closed period
 * not stored yet (a read-only command before the daemon caught up) is computed the same way.
 */
public final class Bills {

    private final AccountingStore store;
    private final BillsFile file;
    private final BillStore periods;
    /** Per bill, the periods known to be stored: the daemon asks every poll, the database once. */
    private final Map<String, Set<String>> storedCache = new HashMap<>();
    /** No period can close before this: the end of the earliest period not stored yet (null: unknown). */
    private Instant nextEnd;

    public Bills(AccountingStore store, BillsFile file) {
        this.store = Objects.requireNonNull(store, "store");
        this.file = Objects.requireNonNull(file, "file");
        this.periods = new BillStore(store);
    }

    public BillsFile file() {
        return file;
    }

    /** The last poll of any host: the instant a command's figures are as of. Empty for an empty database. */
    public Optional<Instant> lastPoll() {
        return periods.polls().values().stream().map(p -> p[1]).max(Instant::compareTo);
    }

    /** True when {@code p} has closed as of {@code asOf} (see the class comment). */
    public boolean closed(BillingPeriod p, Instant asOf) {
        return closed(p, asOf, periods.polls());
    }

    private static boolean closed(BillingPeriod p, Instant asOf, Map<String, Instant[]> polls) {
        if (asOf.isBefore(p.end())) {
            return false;
        }
        for (Instant[] firstLast : polls.values()) {
            Instant last = firstLast[1];
            if (last.isAfter(p.start()) && last.isBefore(p.end())) {
                return false;
            }
        }
        return true;
    }

    /** The figures of {@code bill} for {@code p} as of {@code asOf}: stored when it is, else computed. */
    public PeriodFigures figures(Bill bill, BillingPeriod p, Instant asOf) {
        Optional<PeriodFigures> s = periods.period(bill.name(), p.name());
        return s.orElseGet(() -> compute(bill, p, asOf, closed(p, asOf)));
    }

    /** The current period of {@code bill} as of {@code asOf} and the {@code previous} before it, oldest first. */
    public List<PeriodFigures> history(Bill bill, Instant asOf, int previous) {
        if (previous < 0) {
            throw new IllegalArgumentException("--history must be 0 or more, got " + previous);
        }
        Map<String, PeriodFigures> stored = periods.periods(bill.name());
        Map<String, Instant[]> polls = periods.polls();
        BillingPeriod current = bill.cycle().periodContaining(asOf);
        List<PeriodFigures> l = new ArrayList<>();
        BillingPeriod p = current;
        for (int i = 0; i <= previous; i++, p = p.previous()) {
            PeriodFigures f = stored.get(p.name());
            l.add(0, f != null ? f : compute(bill, p, asOf, closed(p, asOf, polls)));
        }
        return l;
    }

    /**
     * Stores every closed period of every bill that is not stored yet, from the period of the first
     * poll in the database on: the daemon calls this after each poll, {@code pfmeter simulate} at
     * its end. Cheap when nothing closed: the stored periods are remembered.
     *
     * @return the periods stored by this call
     */
    public List<PeriodFigures> storeClosed(Instant now) {
        if (nextEnd != null && now.isBefore(nextEnd)) {
            return List.of();           // every poll of the daemon asks; the database is read only around period ends
        }
        Map<String, Instant[]> polls = periods.polls();
        Optional<Instant> first = polls.values().stream().map(p -> p[0]).min(Instant::compareTo);
        List<PeriodFigures> done = new ArrayList<>();
        if (first.isEmpty()) {
            return done;
        }
        Instant next = null;
        for (Bill b : file.bills()) {
            Set<String> stored = storedCache.computeIfAbsent(b.name(), n -> new TreeSet<>(periods.periods(n).keySet()));
            BillingPeriod p = b.cycle().periodContaining(first.get());
            for (; closed(p, now, polls); p = p.next()) {
                if (stored.contains(p.name())) {
                    continue;
                }
                PeriodFigures f = compute(b, p, now, true);
                periods.storeOnce(f, b.customer(), now);
                stored.add(p.name());
                done.add(f);
            }
            next = next == null || p.end().isBefore(next) ? p.end() : next;
        }
        nextEnd = next;
        return done;
    }

    private PeriodFigures compute(Bill bill, BillingPeriod p, Instant asOf, boolean closed) {
        SeriesSlots.Sums s = SeriesSlots.read(store, "read period " + p.name() + " of bill " + bill.name(), bill::includes,
                p.start(), p.end());
        return BillCalculator.figures(bill, p, s, asOf, closed);
    }

    /** The 5-minute sums of {@code bill} over {@code p}: what its figures are computed from (for charts and tests). */
    public SeriesSlots.Sums sums(Bill bill, BillingPeriod p) {
        return SeriesSlots.read(store, "read period " + p.name() + " of bill " + bill.name(), bill::includes, p.start(), p.end());
    }
}
