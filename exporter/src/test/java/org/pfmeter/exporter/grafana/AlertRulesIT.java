package org.pfmeter.exporter.grafana;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pfmeter.exporter.grafana.PrometheusTools.Result;

/**
 * promtool on the shipped files: the rules are valid ({@code promtool check rules}), behave as their
 * unit tests say at every threshold's edge ({@code promtool test rules grafana/alerts/tests/*.yml}),
 * and the example Prometheus configuration is valid ({@code promtool check config}).
 */
class AlertRulesIT {

    @Test
    void promtoolChecksTheRules() throws Exception {
        Path promtool = PrometheusTools.require("promtool");
        List<String> cmd = new ArrayList<>(List.of(promtool.toString(), "check", "rules"));
        GrafanaFiles.ruleFiles().forEach(f -> cmd.add(f.toString()));
        Result r = PrometheusTools.run(GrafanaFiles.repositoryRoot(), cmd);
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).doesNotContain("WARNING");
    }

    @Test
    void promtoolRunsTheRuleUnitTests() throws Exception {
        Path promtool = PrometheusTools.require("promtool");
        List<String> cmd = new ArrayList<>(List.of(promtool.toString(), "test", "rules"));
        GrafanaFiles.ruleTestFiles().forEach(f -> cmd.add(f.toString()));
        assertThat(GrafanaFiles.ruleTestFiles()).isNotEmpty();
        Result r = PrometheusTools.run(GrafanaFiles.repositoryRoot(), cmd);
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).doesNotContain("FAILED");
    }

    @Test
    void theExamplePrometheusConfigurationIsValid() throws Exception {
        Path promtool = PrometheusTools.require("promtool");
        Path config = GrafanaFiles.grafana().resolve("provisioning/prometheus/prometheus.yml");
        Result r = PrometheusTools.run(GrafanaFiles.repositoryRoot(),
                List.of(promtool.toString(), "check", "config", "--syntax-only", config.toString()));
        assertThat(r.exitCode()).as(r.output()).isZero();
    }
}
