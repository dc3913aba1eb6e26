package org.pfmeter.exporter.accounting;

import io.prometheus.client.Collector;
import io.prometheus.client.CounterMetricFamily;
import io.prometheus.client.GaugeMetricFamily;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Supplier;
import org.pfmeter.accounting.store.FileUpkeep;

/**
 * The embedded H2 file of the accounting database: its size on the firewall's disk and what the
 * store did to keep it small (compactions after writes, rewrites into a new file, during which the
 * ledger's writes wait). The counters are 0 for PostgreSQL, the size absent:
 * <pre>
 * pfmeter_ledger_file_size_bytes 5.4e7
 * pfmeter_ledger_file_compactions_total 1440
 * pfmeter_ledger_file_compaction_seconds_total 61.2
 * pfmeter_ledger_file_rewrites_total 1
 * pfmeter_ledger_file_rewrite_seconds_total 6.7
 * pfmeter_ledger_file_rewrites_skipped_total 0
 * </pre>
 */
public final class LedgerFileCollector extends Collector {

    static final String SIZE = "pfmeter_ledger_file_size_bytes";
    static final String COMPACTIONS = "pfmeter_ledger_file_compactions_total";
    static final String COMPACTION_SECONDS = "pfmeter_ledger_file_compaction_seconds_total";
    static final String REWRITES = "pfmeter_ledger_file_rewrites_total";
    static final String REWRITE_SECONDS = "pfmeter_ledger_file_rewrite_seconds_total";
    static final String REWRITES_SKIPPED = "pfmeter_ledger_file_rewrites_skipped_total";

    private final Supplier<FileUpkeep> upkeep;
    private final Supplier<OptionalLong> fileBytes;

    /**
     * @param upkeep    what the store has done to its file since it was opened
     * @param fileBytes the file's size; empty for PostgreSQL
     */
    public LedgerFileCollector(Supplier<FileUpkeep> upkeep, Supplier<OptionalLong> fileBytes) {
        this.upkeep = upkeep;
        this.fileBytes = fileBytes;
    }

    @Override
    public List<MetricFamilySamples> collect() {
        FileUpkeep u = upkeep.get();
        List<MetricFamilySamples> out = new ArrayList<>();
        fileBytes.get().ifPresent(b -> out.add(new GaugeMetricFamily(SIZE,
                "Size of the embedded H2 file of the accounting database on disk.", b)));
        out.add(new CounterMetricFamily(COMPACTIONS,
                "In-place compactions of the embedded H2 file after writes (at most one a minute).", u.compactions()));
        out.add(new CounterMetricFamily(COMPACTION_SECONDS,
                "Time the in-place compactions of the H2 file took (the next ledger write waited).", seconds(u.compactionTime())));
        out.add(new CounterMetricFamily(REWRITES,
                "Rewrites of the H2 file into a new one while running (when it passed 1.8 times its live data; at most one a day).",
                u.rewrites()));
        out.add(new CounterMetricFamily(REWRITE_SECONDS,
                "Time the rewrites of the H2 file took (the ledger's writes waited; polls waited in the backlog).",
                seconds(u.rewriteTime())));
        out.add(new CounterMetricFamily(REWRITES_SKIPPED,
                "Rewrites of the H2 file that were due but put off because another session (a billing report) had it open.",
                u.rewritesSkipped()));
        return out;
    }

    private static double seconds(java.time.Duration d) {
        return d.toNanos() / 1e9;
    }
}
