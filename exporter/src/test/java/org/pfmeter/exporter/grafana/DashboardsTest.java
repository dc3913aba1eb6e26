package org.pfmeter.exporter.grafana;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.pfmeter.exporter.grafana.GrafanaFiles.Target;

/**
 * What makes the dashboards importable through the UI and through provisioning, and usable on a
 * Prometheus with several firewalls: stable uids, the datasource as a variable used by every panel
 * and query, an {@code instance} filter in every query, a unit on every panel, and the panels the
 * issue asks for. That every query returns data from a real pfmeter is {@code DashboardsAndAlertsIT}.
 */
class DashboardsTest {

    /** File → uid. Links, bookmarks and provisioning depend on these: never change one. */
    private static final Map<String, String> UIDS = new LinkedHashMap<>();

    static {
        UIDS.put("pf-overview.json", "pfmeter-overview");
        UIDS.put("pf-interfaces.json", "pfmeter-interfaces");
        UIDS.put("pf-labels.json", "pfmeter-labels");
        UIDS.put("pf-tables-queues.json", "pfmeter-tables-queues");
        UIDS.put("pf-state-table.json", "pfmeter-state-table");
        UIDS.put("pfmeter-health.json", "pfmeter-health");
    }

    /** The template variables each dashboard offers, in order. */
    private static final Map<String, List<String>> VARIABLES = Map.of(
            "pfmeter-overview", List.of("datasource", "instance"),
            "pfmeter-interfaces", List.of("datasource", "instance", "interface"),
            "pfmeter-labels", List.of("datasource", "instance", "anchor", "label", "top"),
            "pfmeter-tables-queues", List.of("datasource", "instance", "table", "queue"),
            "pfmeter-state-table", List.of("datasource", "instance", "top"),
            "pfmeter-health", List.of("datasource", "instance"));

    /** Grafana's own variables the queries may use. */
    private static final Set<String> GLOBAL_VARIABLES = Set.of("__rate_interval", "__interval", "__range");

    /** Grafana unit ids the panels use; a typo would silently show raw numbers. */
    private static final Set<String> UNITS = Set.of("none", "short", "percentunit", "s", "dtdurations", "bytes",
            "decbytes", "bps", "pps", "ops", "opm", "cps", "bool_on_off", "bool_yes_no");

    private static final String DATASOURCE = "${datasource}";

    private static Map<String, JsonNode> dashboards() {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (Path f : GrafanaFiles.dashboardFiles()) {
            out.put(f.getFileName().toString(), GrafanaFiles.readJson(f));
        }
        return out;
    }

    private static JsonNode dashboard(String uid) {
        return dashboards().values().stream().filter(d -> d.path("uid").asText().equals(uid)).findFirst().orElseThrow();
    }

    @Test
    void theFolderHoldsTheSixDashboardsWithTheirStableUids() {
        Map<String, String> uids = new LinkedHashMap<>();
        dashboards().forEach((file, d) -> uids.put(file, d.path("uid").asText()));
        assertThat(uids).containsExactlyInAnyOrderEntriesOf(UIDS);
        assertThat(new HashSet<>(uids.values())).hasSize(uids.size());
        assertThat(uids.values()).allSatisfy(uid -> assertThat(uid).hasSizeLessThanOrEqualTo(40).matches("[a-z0-9-]+"));
    }

    @Test
    void dashboardsImportThroughTheUiAndThroughProvisioning() {
        Set<String> titles = new HashSet<>();
        dashboards().forEach((file, d) -> {
            assertThat(d.path("id").isNull()).as("%s: id must be null so that an import creates the dashboard", file).isTrue();
            assertThat(d.has("__inputs")).as("%s: provisioning cannot fill __inputs; use the datasource variable", file).isFalse();
            assertThat(d.path("schemaVersion").asInt()).as(file).isGreaterThanOrEqualTo(36);
            assertThat(titles.add(d.path("title").asText())).as("%s: title unique", file).isTrue();
            assertThat(d.path("tags").toString()).as(file).contains("\"pfmeter\"");
            assertThat(d.path("description").asText()).as(file).isNotBlank();
        });
    }

    @Test
    void theDatasourceIsAVariableOfTypePrometheus() {
        dashboards().forEach((file, d) -> {
            JsonNode ds = d.path("templating").path("list").get(0);
            assertThat(ds.path("name").asText()).as(file).isEqualTo("datasource");
            assertThat(ds.path("type").asText()).as(file).isEqualTo("datasource");
            assertThat(ds.path("query").asText()).as(file).isEqualTo("prometheus");
        });
    }

    @Test
    void eachDashboardOffersItsVariables() {
        dashboards().forEach((file, d) -> {
            List<String> names = new ArrayList<>();
            for (JsonNode v : d.path("templating").path("list")) {
                names.add(v.path("name").asText());
                if ("query".equals(v.path("type").asText())) {
                    assertThat(v.path("datasource").path("uid").asText()).as("%s $%s", file, v.path("name").asText())
                            .isEqualTo(DATASOURCE);
                    assertThat(v.path("definition").asText()).as("%s $%s", file, v.path("name").asText())
                            .startsWith("label_values(")
                            .isEqualTo(v.path("query").asText());
                    if (!v.path("name").asText().equals("instance")) {
                        assertThat(v.path("definition").asText()).as("%s $%s follows $instance", file, v.path("name").asText())
                                .contains("$instance");
                    }
                }
            }
            assertThat(names).as(file).containsExactlyElementsOf(VARIABLES.get(d.path("uid").asText()));
        });
    }

    @Test
    void everyPanelHasTheDatasourceVariableAUnitAndADescription() {
        dashboards().forEach((file, d) -> {
            Set<Integer> ids = new HashSet<>();
            for (JsonNode p : GrafanaFiles.panels(d)) {
                String what = file + " / " + p.path("title").asText();
                assertThat(p.path("title").asText()).as(what).isNotBlank();
                assertThat(p.path("description").asText()).as(what).isNotBlank();
                assertThat(ids.add(p.path("id").asInt())).as("%s: panel id unique", what).isTrue();
                assertThat(p.path("datasource").path("uid").asText()).as(what).isEqualTo(DATASOURCE);
                assertThat(p.path("datasource").path("type").asText()).as(what).isEqualTo("prometheus");
                assertThat(p.path("fieldConfig").path("defaults").path("unit").asText()).as("%s: unit", what).isIn(UNITS);
                JsonNode grid = p.path("gridPos");
                assertThat(grid.path("x").asInt() + grid.path("w").asInt()).as("%s: fits 24 columns", what).isLessThanOrEqualTo(24);
                assertThat(p.path("targets").size()).as("%s: has queries", what).isPositive();
                Set<String> refs = new HashSet<>();
                for (JsonNode t : p.path("targets")) {
                    assertThat(t.path("datasource").path("uid").asText()).as(what).isEqualTo(DATASOURCE);
                    assertThat(refs.add(t.path("refId").asText())).as("%s: refId unique", what).isTrue();
                    assertThat(t.path("expr").asText()).as(what).isNotBlank();
                }
            }
        });
    }

    @Test
    void everyQueryFiltersOnTheInstanceAndUsesOnlyDefinedVariables() {
        dashboards().forEach((file, d) -> {
            Set<String> defined = new HashSet<>(GLOBAL_VARIABLES);
            d.path("templating").path("list").forEach(v -> defined.add(v.path("name").asText()));
            Set<String> used = new TreeSet<>();
            List<Target> all = new ArrayList<>(GrafanaFiles.targets(d));
            all.addAll(GrafanaFiles.annotationTargets(d));
            for (Target t : all) {
                assertThat(t.expr()).as(t.toString()).contains("instance=~\"$instance\"");
                assertThat(PromQl.variables(t.expr())).as(t.toString()).isSubsetOf(defined);
                used.addAll(PromQl.variables(t.expr()));
            }
            for (JsonNode v : d.path("templating").path("list")) {
                String name = v.path("name").asText();
                if (!name.equals("datasource")) {
                    assertThat(used).as("%s: $%s is used by a query", file, name).contains(name);
                }
            }
        });
    }

    @Test
    void multiValueVariablesOfferAll() {
        dashboards().forEach((file, d) -> {
            for (JsonNode v : d.path("templating").path("list")) {
                if (v.path("multi").asBoolean()) {
                    assertThat(v.path("includeAll").asBoolean()).as("%s $%s", file, v.path("name").asText()).isTrue();
                    assertThat(v.path("allValue").asText()).as("%s $%s", file, v.path("name").asText()).isIn(".*", ".+");
                }
            }
        });
    }

    /** The issue's list, panel by panel: each metric must be read by some query of the dashboard. */
    @Test
    void eachDashboardShowsWhatTheIssueAsksFor() {
        assertReads("pfmeter-overview", "pf_up", "pf_start_time_seconds", "pf_states", "pf_limit", "pf_limit_usage",
                "pf_state_operations_total", "pf_packets_total", "pf_syncookies_active", "pf_ruleset_changes_total");
        assertReads("pfmeter-interfaces", "pf_interface_bytes_total", "pf_interface_packets_total");
        assertReads("pfmeter-labels", "pf_label_bytes_total", "pf_label_packets_total", "pf_label_states");
        assertReads("pfmeter-tables-queues", "pf_table_addresses", "pf_table_matches_total",
                "pf_queue_transmitted_bytes_total", "pf_queue_dropped_packets_total", "pf_queue_length");
        assertReads("pfmeter-health", "pfmeter_poll_duration_seconds", "pfmeter_snapshot_age_seconds",
                "pfmeter_poll_errors_total", "pfmeter_subsystem_up", "jvm_memory_bytes_used", "process_cpu_seconds_total");

        List<String> interfaces = exprs("pfmeter-interfaces");
        assertThat(interfaces).anyMatch(e -> e.contains("sum by (af, direction)"))
                .anyMatch(e -> e.contains("sum by (action, direction)"))
                .anyMatch(e -> e.contains("sum by (interface, direction)") && e.contains("* 8"));
        assertThat(exprs("pfmeter-labels")).anyMatch(e -> e.contains("topk($top"));
        assertReads("pfmeter-state-table", "pf_states", "pf_limit", "pf_states_by_label", "pf_states_unattributed",
                "pf_states_by_interface", "pf_states_by_protocol", "pf_states_by_tcp_state", "pf_states_age_seconds_bucket",
                "pfmeter_states_label_share_alert_ratio",
                "pf_state_limiter_inuse", "pf_state_limiter_limit", "pf_state_limiter_hardlimited_total",
                "pf_state_limiter_ratelimited_total", "pf_source_limiter_nentries", "pf_source_limiter_entries",
                "pf_source_limiter_entry_inuse_max", "pf_source_limiter_limit", "pf_source_limiter_hardlimited_total",
                "pf_source_nodes", "pf_source_node_states",
                "pfmeter_states_breakdown_duration_seconds", "pfmeter_states_breakdown_timestamp_seconds",
                "pfmeter_states_breakdown_skipped_total", "pfmeter_states_breakdown_errors_total");
        assertThat(exprs("pfmeter-overview")).anyMatch(e -> e.contains("reason!=\"match\""))
                .anyMatch(e -> e.equals("pf_limit_usage{instance=~\"$instance\"} / pf_limit{instance=~\"$instance\"}"));
    }

    /**
     * The state table dashboard: the fill is states over the states limit, the biggest label's share is
     * the alert's (no "(other)" sum or rules without a label as the biggest; unattributed states in the
     * whole) next to the threshold pfmeter serves, and age quantiles come from the histogram's buckets.
     */
    @Test
    void theStateTableDashboardComputesWhatItsPanelsSay() {
        JsonNode d = dashboard("pfmeter-state-table");
        assertThat(panel(d, "State table fill").path("targets").get(0).path("expr").asText())
                .isEqualTo("pf_states{instance=~\"$instance\"} / ignoring (limit) pf_limit{instance=~\"$instance\", limit=\"states\"}");
        for (JsonNode p : GrafanaFiles.panels(d)) {
            if (!p.path("title").asText().equals("Biggest label's share")) {
                continue;
            }
            assertThat(p.path("fieldConfig").path("defaults").path("unit").asText()).isEqualTo("percentunit");
            String share = p.path("targets").get(0).path("expr").asText();
            assertThat(share).contains("max by (instance) (pf_states_by_label{instance=~\"$instance\", label!=\"\", label!=\"(other)\"})")
                    .contains("sum by (instance) (pf_states_by_label{instance=~\"$instance\"})")
                    .contains("pf_states_unattributed");
            assertThat(p.path("targets").get(1).path("expr").asText()).contains("pfmeter_states_label_share_alert_ratio");
        }
        assertThat(panel(d, "State age").path("targets")).extracting(t -> t.path("expr").asText())
                .allMatch(e -> e.startsWith("histogram_quantile(0.") && e.contains("sum by (le) (pf_states_age_seconds_bucket{"));
        assertThat(exprs("pfmeter-state-table")).anyMatch(e -> e.contains("topk($top, sum by (anchor, label) (pf_states_by_label{"))
                .anyMatch(e -> e.equals("time() - pfmeter_states_breakdown_timestamp_seconds{instance=~\"$instance\"}"));
    }

    private static JsonNode panel(JsonNode dashboard, String title) {
        return GrafanaFiles.panels(dashboard).stream().filter(p -> p.path("title").asText().equals(title)).findFirst().orElseThrow();
    }

    /** Month to date: the panel's own time range starts at the beginning of the month. */
    @Test
    void monthToDateVolumeCoversTheMonthSoFar() {
        JsonNode panel = GrafanaFiles.panels(dashboard("pfmeter-labels")).stream()
                .filter(p -> p.path("title").asText().equals("Month-to-date volume")).findFirst().orElseThrow();
        assertThat(panel.path("timeFrom").asText()).isEqualTo("now/M");
        assertThat(panel.path("fieldConfig").path("defaults").path("unit").asText()).isEqualTo("decbytes");
        assertThat(panel.path("targets")).allSatisfy(t -> {
            assertThat(t.path("expr").asText()).contains("increase(pf_label_bytes_total{").contains("[$__range]");
            assertThat(t.path("instant").asBoolean()).isTrue();
        });
    }

    /** Units follow what the query computes: bytes × 8 is bits per second, packet rates are pps. */
    @Test
    void unitsMatchWhatTheQueriesCompute() {
        dashboards().forEach((file, d) -> {
            for (JsonNode p : GrafanaFiles.panels(d)) {
                String unit = p.path("fieldConfig").path("defaults").path("unit").asText();
                String first = p.path("targets").get(0).path("expr").asText();
                String what = file + " / " + p.path("title").asText();
                if (first.matches("(?s).*rate\\(pf_\\w*bytes_total.*\\* 8.*") && !first.contains(" / ")) {
                    assertThat(unit).as(what).isEqualTo("bps");
                }
                if (first.matches("(?s).*rate\\(pf_\\w*packets_total.*") && !first.contains(" / ")) {
                    assertThat(unit).as(what).isEqualTo("pps");
                }
                if (first.contains("pf_limit_usage") && first.contains(" / pf_limit")) {
                    assertThat(unit).as(what).isEqualTo("percentunit");
                }
            }
        });
    }

    private static void assertReads(String uid, String... metrics) {
        Set<String> read = new TreeSet<>();
        exprs(uid).forEach(e -> read.addAll(PromQl.metricNames(e)));
        assertThat(read).as(uid).contains(metrics);
    }

    private static List<String> exprs(String uid) {
        return GrafanaFiles.targets(dashboard(uid)).stream().map(Target::expr).toList();
    }
}
