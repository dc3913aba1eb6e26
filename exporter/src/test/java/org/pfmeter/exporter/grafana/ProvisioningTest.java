package org.pfmeter.exporter.grafana;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The provisioning examples agree with the dashboards and rules they set up. (promtool validates the
 * example Prometheus configuration in {@code AlertRulesIT}.)
 */
class ProvisioningTest {

    private static String read(String path) throws IOException {
        return Files.readString(GrafanaFiles.grafana().resolve(path));
    }

    @Test
    void theDatasourceExampleIsAPrometheusDatasource() throws IOException {
        String ds = read("provisioning/datasources/pfmeter-prometheus.yml");
        assertThat(ds).startsWith("#").contains("apiVersion: 1").contains("    type: prometheus\n")
                .containsPattern("\\n    url: http://\\S+\\n").contains("timeInterval:");
    }

    @Test
    void theDashboardsExampleLoadsTheFolderFromFiles() throws IOException {
        String p = read("provisioning/dashboards/pfmeter.yml");
        assertThat(p).contains("apiVersion: 1").contains("    type: file\n").contains("    folder: pfmeter\n")
                .containsPattern("\\n      path: /\\S+\\n");
        for (Path f : GrafanaFiles.dashboardFiles()) {
            assertThat(p).as("the comment names every uid").contains(GrafanaFiles.readJson(f).path("uid").asText());
        }
    }

    /** PfmeterDown and PfmeterAbsent select job="pfmeter": the example scrape job must be called that. */
    @Test
    void thePrometheusExampleScrapesTheJobTheRulesSelectAndLoadsTheRules() throws IOException {
        String p = read("provisioning/prometheus/prometheus.yml");
        assertThat(p).contains("  - job_name: pfmeter\n").containsPattern("rule_files:\\n  - \\S+\\*\\.rules\\.yml\\n");
        assertThat(GrafanaFiles.allRules()).filteredOn(r -> r.expr().contains("up{"))
                .isNotEmpty()
                .allSatisfy(r -> assertThat(r.expr()).contains("up{job=\"pfmeter\"}"));
    }
}
