package org.pfmeter.exporter.grafana;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.pfmeter.exporter.grafana.GrafanaFiles.Rule;

/**
 * The alert rules as the issue lists them, each with a severity, a summary and a description, and
 * each exercised by a promtool test that expects it to fire. Running those tests (and
 * {@code promtool check rules}) is {@code AlertRulesIT}.
 */
class AlertRulesTest {

    private static Map<String, Rule> rules() {
        List<Rule> all = GrafanaFiles.allRules();
        Map<String, Rule> byName = all.stream().collect(Collectors.toMap(Rule::alert, r -> r));
        assertThat(byName).as("alert names are unique").hasSameSizeAs(all);
        return byName;
    }

    @Test
    void theRulesTheIssueAsksFor() {
        assertThat(rules()).containsKeys(
                "PfmeterDown",
                "PfmeterPollsFailing", "PfmeterSubsystemFailing", "PfmeterPollErrors", "PfmeterSnapshotStale",
                "PfDisabled",
                "PfStateTableUsageHigh", "PfStateTableUsageCritical",
                "PfSrcNodesUsageHigh", "PfSrcNodesUsageCritical",
                "PfTableEntriesUsageHigh", "PfTableEntriesUsageCritical",
                "PfFragmentsUsageHigh", "PfFragmentsUsageCritical",
                "PfMemoryDrops", "PfStateInsertFailures", "PfCongestionDrops",
                "PfSyncookiesActive",
                "PfRulesetChanged",
                "PfStateLimiterNearLimit", "PfStateLimiterRefusing", "PfSourceLimiterTableNearFull",
                "PfStatesLabelShareHigh", "PfmeterStatesBreakdownFailing", "PfmeterStatesBreakdownSkipped");
        assertThat(rules().get("PfRulesetChanged").severity()).isEqualTo("info");
    }

    /** The limiters warn at 90 % (the edge included) after 5 minutes, and never divide by a limit of 0. */
    @Test
    void limiterAlertsWarnAtNinetyPercent() {
        assertThat(rules().get("PfStateLimiterNearLimit").expr())
                .isEqualTo("pf_state_limiter_inuse / (pf_state_limiter_limit > 0) >= 0.9");
        assertThat(rules().get("PfSourceLimiterTableNearFull").expr())
                .isEqualTo("pf_source_limiter_nentries / (pf_source_limiter_entries > 0) >= 0.9");
        assertThat(rules().get("PfStateLimiterRefusing").expr()).isEqualTo("rate(pf_state_limiter_hardlimited_total[5m]) > 0");
        for (String name : List.of("PfStateLimiterNearLimit", "PfSourceLimiterTableNearFull", "PfStateLimiterRefusing")) {
            assertThat(rules().get(name).severity()).as(name).isEqualTo("warning");
            assertThat(rules().get(name).forDuration()).as(name).isEqualTo("5m");
        }
    }

    /**
     * The share is each firewall's own states.label-share-alert (served by pfmeter), not a number in the
     * rule; the alerts about the state table point where the addresses are.
     */
    @Test
    void theLabelShareFollowsPfmetersSettingAndTheStateAlertsPointAtTheBreakdown() {
        Rule share = rules().get("PfStatesLabelShareHigh");
        assertThat(share.expr()).contains("pf_states_by_label{label!=\"\", label!=\"(other)\"}")
                .contains("sum by (job, instance) (pf_states_by_label) + on (job, instance) pf_states_unattributed")
                .endsWith("> on (job, instance) group_left\npfmeter_states_label_share_alert_ratio")
                .doesNotContainPattern("\\b0\\.\\d");
        for (String name : List.of("PfStateLimiterNearLimit", "PfStateLimiterRefusing", "PfSourceLimiterTableNearFull",
                "PfStatesLabelShareHigh", "PfmeterStatesBreakdownFailing", "PfmeterStatesBreakdownSkipped",
                "PfStateTableUsageHigh", "PfStateTableUsageCritical")) {
            assertThat(rules().get(name).description()).as(name)
                    .contains("`pfmeter show states --top 10`", "org.pfmeter:type=StateTable", "/api/states");
        }
    }

    @Test
    void everyRuleHasASeverityASummaryAndADescriptionThatSaysWhatToDo() {
        rules().forEach((name, r) -> {
            assertThat(r.expr()).as(name).isNotBlank();
            assertThat(r.severity()).as(name).isIn("critical", "warning", "info");
            assertThat(r.summary()).as(name).isNotBlank().hasSizeLessThan(120);
            assertThat(r.description()).as(name).isNotBlank().hasSizeGreaterThan(120);
        });
    }

    /** 80 % warns after 5 minutes, 95 % pages after 2, for each pool the issue names. */
    @Test
    void usageThresholdsAreEightyAndNinetyFivePercentOfTheLimit() {
        Map<String, String> pools = Map.of("PfStateTable", "states", "PfSrcNodes", "src_nodes",
                "PfTableEntries", "table_entries", "PfFragments", "frags");
        pools.forEach((stem, limit) -> {
            String ratio = "pf_limit_usage{limit=\"" + limit + "\"} / pf_limit{limit=\"" + limit + "\"}";
            Rule high = rules().get(stem + "UsageHigh");
            Rule critical = rules().get(stem + "UsageCritical");
            assertThat(high.expr()).isEqualTo(ratio + " > 0.80");
            assertThat(high.severity()).isEqualTo("warning");
            assertThat(high.forDuration()).isEqualTo("5m");
            assertThat(critical.expr()).isEqualTo(ratio + " > 0.95");
            assertThat(critical.severity()).isEqualTo("critical");
            assertThat(critical.forDuration()).isEqualTo("2m");
        });
    }

    /** Issue 17: quota 80 % used, quota 100 % projected (once a tenth of the period has passed), commit exceeded, no burst headroom. */
    @Test
    void billAlertsWatchTheirThresholds() {
        assertThat(rules().get("PfmeterBillQuotaHigh").expr()).isEqualTo("pfmeter_bill_quota_usage_ratio >= 0.8");
        assertThat(rules().get("PfmeterBillQuotaProjectedExceeded").expr().replaceAll("\\s+", " ")).isEqualTo(
                "pfmeter_bill_quota_projected_usage_ratio > 1 and on (job, instance, bill) pfmeter_bill_period_elapsed_ratio >= 0.1");
        assertThat(rules().get("PfmeterBillCommitExceeded").expr()).isEqualTo("pfmeter_bill_percentile_commit_ratio > 1");
        assertThat(rules().get("PfmeterBillBurstHeadroomExhausted").expr()).isEqualTo("pfmeter_bill_burst_headroom_intervals == 0");
        for (String name : List.of("PfmeterBillQuotaHigh", "PfmeterBillQuotaProjectedExceeded", "PfmeterBillCommitExceeded",
                "PfmeterBillBurstHeadroomExhausted")) {
            assertThat(rules().get(name).description()).as(name).contains("pfmeter bills --bill");
        }
    }

    @Test
    void dropAlertsWatchTheirPfresReason() {
        assertThat(rules().get("PfMemoryDrops").expr()).contains("reason=\"memory\"");
        assertThat(rules().get("PfStateInsertFailures").expr()).contains("reason=\"state_insert\"");
        assertThat(rules().get("PfCongestionDrops").expr()).contains("reason=\"congestion\"");
    }

    private static final Pattern ALERTNAME = Pattern.compile("^\\s+alertname: (\\S+)\\s*$");
    private static final Pattern EXP_LABELS = Pattern.compile("^\\s+- exp_labels: \\{.*severity: (\\w+).*}\\s*$");

    /** Every rule has a promtool test in which it fires (with the severity it is written with). */
    @Test
    void everyRuleIsTestedFiring() throws IOException {
        Set<String> firing = new TreeSet<>();
        Set<String> severities = new HashSet<>();
        for (Path f : GrafanaFiles.ruleTestFiles()) {
            String alert = null;
            for (String line : Files.readAllLines(f)) {
                Matcher a = ALERTNAME.matcher(line);
                Matcher e = EXP_LABELS.matcher(line);
                if (a.matches()) {
                    alert = a.group(1);
                } else if (e.matches() && alert != null) {
                    firing.add(alert);
                    severities.add(alert + "/" + e.group(1));
                }
            }
        }
        assertThat(firing).containsAll(rules().keySet());
        rules().forEach((name, r) -> assertThat(severities).contains(name + "/" + r.severity()));
    }

    /** The test files name the rule files they test, relative to themselves. */
    @Test
    void ruleTestsLoadTheShippedRuleFiles() throws IOException {
        Set<String> loaded = new TreeSet<>();
        for (Path f : GrafanaFiles.ruleTestFiles()) {
            Matcher m = Pattern.compile("(?m)^  - \\.\\./(\\S+\\.rules\\.yml)\\s*$").matcher(Files.readString(f));
            while (m.find()) {
                loaded.add(m.group(1));
            }
        }
        assertThat(loaded).containsExactlyInAnyOrderElementsOf(
                GrafanaFiles.ruleFiles().stream().map(p -> p.getFileName().toString()).toList());
    }
}
