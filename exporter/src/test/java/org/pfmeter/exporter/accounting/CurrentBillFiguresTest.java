package org.pfmeter.exporter.accounting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.client.Collector.MetricFamilySamples;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pfmeter.accounting.bills.Bills;
import org.pfmeter.accounting.bills.BillsFile;
import org.pfmeter.accounting.store.AccountingStore;
import org.pfmeter.accounting.store.StoreConfig;
import org.pfmeter.pf.sim.SimClock;

/**
 * The bills' figures are read from the database at most once a minute, also while that read fails;
 * a failure is counted and the last figures stay, ageing, in the metrics.
 */
class CurrentBillFiguresTest {

    @TempDir
    Path dir;

    private static double value(List<MetricFamilySamples> families, String name) {
        return families.stream().flatMap(f -> f.samples.stream()).filter(s -> s.name.equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no sample " + name)).value;
    }

    @Test
    void a_failing_read_is_counted_retried_a_minute_later_and_the_last_figures_age() {
        SimClock clock = SimClock.manual(Instant.parse("2026-11-10T12:00:00Z"));
        CurrentBillFigures figures = new CurrentBillFigures(clock, Duration.ofMinutes(1));
        BillsCollector collector = new BillsCollector(figures);
        assertThat(collector.collect()).extracting(f -> f.name).containsExactly("pfmeter_bills_figures_errors");

        AccountingStore store = AccountingStore.open(StoreConfig.h2(dir));
        Bills bills = new Bills(store, BillsFile.parse("""
                [bill acme]
                type   = quota
                quota  = 1G
                anchor = customers/acme
                """, "bills.conf"));
        assertThat(figures.refreshIfDue(bills)).isTrue();
        // an empty database: as of now, nothing used, a third of November gone
        assertThat(value(collector.collect(), BillsCollector.USED)).isZero();
        assertThat(value(collector.collect(), BillsCollector.ELAPSED)).isEqualTo(9.5 / 30);
        clock.advance(Duration.ofSeconds(59));
        assertThat(figures.refreshIfDue(bills)).isFalse();

        store.close();
        clock.advance(Duration.ofSeconds(1));
        assertThatThrownBy(() -> figures.refreshIfDue(bills)).isInstanceOf(RuntimeException.class);
        assertThat(figures.failures()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(30));
        assertThat(figures.refreshIfDue(bills)).as("no second read within the minute").isFalse();
        List<MetricFamilySamples> m = collector.collect();
        assertThat(value(m, BillsCollector.FAILURES)).isEqualTo(1);
        assertThat(value(m, BillsCollector.AGE)).isEqualTo(90);
        assertThat(value(m, BillsCollector.AS_OF)).isEqualTo(Instant.parse("2026-11-10T12:00:00Z").getEpochSecond());
        assertThat(value(m, BillsCollector.QUOTA)).isEqualTo(1e9);
        clock.advance(Duration.ofSeconds(30));
        assertThatThrownBy(() -> figures.refreshIfDue(bills)).isInstanceOf(RuntimeException.class);
        assertThat(figures.failures()).isEqualTo(2);
    }
}
