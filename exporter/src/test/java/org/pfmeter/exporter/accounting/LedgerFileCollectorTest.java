package org.pfmeter.exporter.accounting;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.client.Collector.MetricFamilySamples;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.pfmeter.accounting.store.FileUpkeep;

class LedgerFileCollectorTest {

    @Test
    void servesTheFilesSizeAndEveryUpkeepCounterInBaseUnits() {
        FileUpkeep u = new FileUpkeep(1440, Duration.ofMillis(61_250), 12, 2, Duration.ofMillis(6_700), 3);
        Map<String, Double> values = values(new LedgerFileCollector(() -> u, () -> OptionalLong.of(54_000_000L)).collect());

        assertThat(values).containsExactlyInAnyOrderEntriesOf(Map.of(
                "pfmeter_ledger_file_size_bytes", 54_000_000.0,
                "pfmeter_ledger_file_compactions_total", 1440.0,
                "pfmeter_ledger_file_compaction_seconds_total", 61.25,
                "pfmeter_ledger_file_rewrites_total", 2.0,
                "pfmeter_ledger_file_rewrite_seconds_total", 6.7,
                "pfmeter_ledger_file_rewrites_skipped_total", 3.0));
    }

    @Test
    void withoutAnH2FileTheSizeIsAbsentAndTheCountersStayAtZero() {
        Map<String, Double> values = values(new LedgerFileCollector(() -> FileUpkeep.NONE, OptionalLong::empty).collect());

        assertThat(values).doesNotContainKey("pfmeter_ledger_file_size_bytes");
        assertThat(values).hasSize(5).allSatisfy((name, v) -> assertThat(v).isZero());
    }

    private static Map<String, Double> values(List<MetricFamilySamples> families) {
        return families.stream().flatMap(f -> f.samples.stream())
                .collect(Collectors.toMap(s -> s.name, s -> s.value));
    }
}
