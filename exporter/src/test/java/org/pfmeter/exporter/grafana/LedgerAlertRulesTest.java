package org.pfmeter.exporter.grafana;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.pfmeter.exporter.grafana.GrafanaFiles.Rule;

/**
 * Every way the accounting ledger can fail has an alert (issue 19, point 5: a ledger that stopped
 * accounting raised nothing): skipped polls, write errors, a failing database, the backlog filling and
 * dropping polls, clock jumps, damaged rows met in the database, and the catch-all of polls going on with nothing written. That each
 * fires at its edge is in grafana/alerts/tests/ledger.test.yml ({@code AlertRulesIT}).
 */
class LedgerAlertRulesTest {

    @Test
    void eachLedgerFailureHasItsAlert() {
        Map<String, Rule> rules = GrafanaFiles.allRules().stream()
                .filter(r -> r.file().getFileName().toString().equals("ledger.rules.yml"))
                .collect(Collectors.toMap(Rule::alert, r -> r));
        Map<String, List<String>> watched = Map.of(
                "PfmeterLedgerNotWriting", List.of("pfmeter_ledger_written_polls_total", "pfmeter_polls_total"),
                "PfmeterLedgerPollsSkipped", List.of("pfmeter_ledger_skipped_polls_total"),
                "PfmeterLedgerDatabaseFailing", List.of("pfmeter_ledger_database_error"),
                "PfmeterLedgerWriteErrors", List.of("pfmeter_ledger_write_errors_total"),
                "PfmeterLedgerBacklogFilling", List.of("pfmeter_ledger_backlog_polls", "pfmeter_ledger_backlog_limit_polls"),
                "PfmeterLedgerBacklogDrops", List.of("pfmeter_ledger_dropped_polls_total"),
                "PfmeterLedgerClockJumped", List.of("pfmeter_ledger_clock_jumps_total"),
                "PfmeterLedgerDamagedRows", List.of("pfmeter_ledger_damaged_rows_total"));
        assertThat(rules).containsOnlyKeys(watched.keySet());
        watched.forEach((alert, metrics) -> assertThat(rules.get(alert).expr()).as(alert).contains(metrics));
        assertThat(rules.get("PfmeterLedgerNotWriting").severity()).isEqualTo("critical");
        assertThat(rules.get("PfmeterLedgerBacklogDrops").severity()).isEqualTo("critical");
        assertThat(rules.get("PfmeterLedgerDatabaseFailing").description()).contains("{{ $labels.kind }}");
        assertThat(rules.get("PfmeterLedgerClockJumped").summary()).contains("{{ $labels.direction }}");
        assertThat(rules.get("PfmeterLedgerDamagedRows").severity()).isEqualTo("critical");
        assertThat(rules.get("PfmeterLedgerDamagedRows").summary()).contains("{{ $labels.met_by }}");
        assertThat(rules.get("PfmeterLedgerDamagedRows").description()).contains("pfmeter verify");
    }
}
