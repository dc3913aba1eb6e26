package org.pfmeter.exporter.accounting;

import io.prometheus.client.Collector;
import io.prometheus.client.CounterMetricFamily;
import io.prometheus.client.GaugeMetricFamily;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.pfmeter.accounting.ledger.LedgerStats;
import org.pfmeter.accounting.store.AccountingStore;
import org.pfmeter.accounting.store.StoreException;

/**
 * The accounting ledger's health, from its statistics:
 * <pre>
 * pfmeter_ledger_backlog_polls 0
 * pfmeter_ledger_written_polls_total 360
 * pfmeter_ledger_dropped_polls_total 0
 * pfmeter_ledger_write_errors_total 0
 * pfmeter_ledger_last_write_timestamp_seconds 1.79e9
 * pfmeter_ledger_database_error{kind="unreachable"} 0
 * pfmeter_ledger_clock_jumps_total{direction="forward"} 1
 * pfmeter_ledger_resets_total{kind="label"} 12
 * pfmeter_ledger_resets_total{kind="table"} 9
 * pfmeter_ledger_resets_total{kind="address"} 40
 * pfmeter_ledger_damaged_rows_total{met_by="writer"} 0
 * pfmeter_ledger_damaged_rows_total{met_by="reader"} 2
 * </pre>
 */
public final class LedgerCollector extends Collector {

    static final String BACKLOG = "pfmeter_ledger_backlog_polls";
    static final String BACKLOG_LIMIT = "pfmeter_ledger_backlog_limit_polls";
    static final String WRITTEN = "pfmeter_ledger_written_polls_total";
    static final String SKIPPED = "pfmeter_ledger_skipped_polls_total";
    static final String DROPPED = "pfmeter_ledger_dropped_polls_total";
    static final String DROPPED_ROWS = "pfmeter_ledger_dropped_label_rows_total";
    static final String RESETS = "pfmeter_ledger_resets_total";
    static final String ERRORS = "pfmeter_ledger_write_errors_total";
    static final String LAST_WRITE = "pfmeter_ledger_last_write_timestamp_seconds";
    static final String DATABASE_ERROR = "pfmeter_ledger_database_error";
    static final String CLOCK_JUMPS = "pfmeter_ledger_clock_jumps_total";
    static final String DAMAGED_ROWS = "pfmeter_ledger_damaged_rows_total";

    private final Supplier<LedgerStats> stats;
    private final Supplier<AccountingStore.DamagedRowsMet> damaged;

    /** Without a database to meet damaged rows in (tests of the other families): those counters stay 0. */
    public LedgerCollector(Supplier<LedgerStats> stats) {
        this(stats, () -> AccountingStore.DamagedRowsMet.NONE);
    }

    /** @param damaged the damaged rows the daemon's work on the accounting database has met */
    public LedgerCollector(Supplier<LedgerStats> stats, Supplier<AccountingStore.DamagedRowsMet> damaged) {
        this.stats = stats;
        this.damaged = damaged;
    }

    @Override
    public List<MetricFamilySamples> collect() {
        LedgerStats s = stats.get();
        List<MetricFamilySamples> out = new ArrayList<>();
        out.add(new GaugeMetricFamily(BACKLOG, "Polls kept in memory because the accounting database could not be written.", s.backlog()));
        out.add(new GaugeMetricFamily(BACKLOG_LIMIT, "How many polls the backlog holds at most before dropping the oldest.", s.backlogLimit()));
        out.add(new CounterMetricFamily(WRITTEN, "Polls whose label deltas were written to the accounting database.", s.writtenPolls()));
        out.add(new CounterMetricFamily(SKIPPED, "Polls not accounted: rules could not be read, or already stored (a retried write).",
                s.skippedPolls() + s.stalePolls() + s.rejectedPolls()));
        out.add(new CounterMetricFamily(DROPPED, "Polls dropped from a full backlog (their traffic is lost only if pf reset counters meanwhile).", s.droppedPolls()));
        out.add(new CounterMetricFamily(DROPPED_ROWS, "Label rows of dropped polls.", s.droppedLabelRows()));
        // one series per kind of series the ledger accounts, always present (three values: bounded)
        CounterMetricFamily resets = new CounterMetricFamily(RESETS,
                "Counter resets the ledger detected, by kind of series: labels (reloads, zeroing, restarts), tables "
                        + "(pfctl -T zero, restarts) and table entries (deleted and added again, flushed, zeroed).",
                List.of("kind"));
        resets.addMetric(List.of("label"), s.resets());
        resets.addMetric(List.of("table"), s.tableResets());
        resets.addMetric(List.of("address"), s.addressResets());
        out.add(resets);
        out.add(new CounterMetricFamily(ERRORS, "Failed attempts to write the accounting database.", s.writeErrors()));
        s.lastWriteAt().ifPresent(t -> out.add(new GaugeMetricFamily(LAST_WRITE,
                "Unix time of the last successful write to the accounting database.", t.toEpochMilli() / 1000.0)));
        // one series per kind, always present, so an alert can say "disk full" rather than "some error"
        GaugeMetricFamily failing = new GaugeMetricFamily(DATABASE_ERROR,
                "1 for the kind of the last write failure while the accounting database cannot be written, else 0.",
                List.of("kind"));
        for (StoreException.Kind k : StoreException.Kind.values()) {
            failing.addMetric(List.of(k.label()), s.lastWriteErrorKind().filter(k.label()::equals).isPresent() ? 1 : 0);
        }
        out.add(failing);
        CounterMetricFamily jumps = new CounterMetricFamily(CLOCK_JUMPS,
                "Polls whose wall-clock stamp jumped against the elapsed time (or lay before the last stored poll); "
                        + "the ledger books them where the elapsed time puts them.", List.of("direction"));
        jumps.addMetric(List.of("forward"), s.clockJumpsForward());
        jumps.addMetric(List.of("backward"), s.clockJumpsBackward());
        out.add(jumps);
        // both always present (0 until one is met), so that increase() sees the first
        AccountingStore.DamagedRowsMet d = damaged.get();
        CounterMetricFamily rows = new CounterMetricFamily(DAMAGED_ROWS,
                "Damaged rows (checksum mismatch, not a row of its format) met in the accounting database, each time one "
                        + "is met: by the ledger's writer (its host's polls are rejected until repaired) or by a reader "
                        + "(reports, bills: refused, or read from the 5-minute rows); the log names the row; run pfmeter verify.",
                List.of("met_by"));
        rows.addMetric(List.of("writer"), d.writes());
        rows.addMetric(List.of("reader"), d.reads());
        out.add(rows);
        return out;
    }
}
