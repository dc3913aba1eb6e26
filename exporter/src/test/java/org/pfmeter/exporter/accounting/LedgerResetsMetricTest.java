package org.pfmeter.exporter.accounting;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.client.Collector;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.pfmeter.accounting.ledger.LedgerStats;

/** The ledger's resets by kind of series: one counter, a series per kind, always all three. */
class LedgerResetsMetricTest {

    private static LedgerStats stats(long labels, long tables, long addresses) {
        return new LedgerStats(0, 1440, 0, 0, 10, 0, 0, 0, labels, tables, addresses, 0, 0, Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), 0, 0, Optional.empty());
    }

    @Test
    void labelTableAndAddressResetsAreSeriesOfOneCounter() {
        Collector.MetricFamilySamples resets = new LedgerCollector(() -> stats(3, 8, 21)).collect().stream()
                .filter(f -> f.name.equals("pfmeter_ledger_resets")).findFirst().orElseThrow();
        assertThat(resets.type).isEqualTo(Collector.Type.COUNTER);
        assertThat(resets.samples).extracting(s -> s.name + s.labelNames + s.labelValues + " " + s.value)
                .containsExactly("pfmeter_ledger_resets_total[kind][label] 3.0",
                        "pfmeter_ledger_resets_total[kind][table] 8.0",
                        "pfmeter_ledger_resets_total[kind][address] 21.0");
        assertThat(new LedgerCollector(() -> stats(0, 0, 0)).collect().stream()
                .filter(f -> f.name.equals("pfmeter_ledger_resets")).findFirst().orElseThrow().samples)
                .extracting(s -> s.value).containsExactly(0.0, 0.0, 0.0);
    }
}
