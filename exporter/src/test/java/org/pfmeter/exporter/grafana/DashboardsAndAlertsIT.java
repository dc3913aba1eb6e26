package org.pfmeter.exporter.grafana;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.pfmeter.exporter.grafana.GrafanaFiles.Target;

/**
 * The dashboards and alert rules against the real parts: {@code pfmeter run --simulate} as a process
 * (the shaded jar), scraped every second by a real Prometheus that loads the shipped alert rules.
 *
 * <ul>
 * <li>every template variable lists values, and every query of every panel returns data, once with
 * each multi-value variable on "All" and once on its first value, so no panel is empty because of a
 * wrong metric or label name;</li>
 * <li>Prometheus loads every rule and evaluates each without error;</li>
 * <li>the simulator's state limiters, which run at their limits, fire PfStateLimiterNearLimit one
 * alert per limiter, while no label holds enough of the states for PfStatesLabelShareHigh;</li>
 * <li>the simulator's state-table flood ({@code --sim-fault state-ramp@…}) drives the state-table
 * alerts from inactive to {@code firing}.</li>
 * </ul>
 *
 * Only the rules' {@code for:} durations are shortened (in a copy) so the test does not wait minutes;
 * every expression and threshold is as shipped. The simulator runs 60 times faster than real time, so
 * its 10-minute ramp takes 10 seconds.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(OrderAnnotation.class)
class DashboardsAndAlertsIT {

    /** The {@code --sim-release} pfmeter simulates; empty: the default (OpenBSD 8.0). */
    protected java.util.Optional<String> simRelease() {
        return java.util.Optional.empty();
    }

    /** Whether the simulated release has state and source limiters (FreeBSD's releases do not). */
    protected boolean hasLimiters() {
        return true;
    }


    private static final int SIM_SPEED = 60;
    /** Simulated offset of the state-table flood: 45 real seconds after pfmeter starts. */
    private static final Duration RAMP_AT = Duration.ofMinutes(45);
    private static final Duration RAMP_AT_REAL = RAMP_AT.dividedBy(SIM_SPEED);
    private static final String SHORT_FOR = "5s";
    /** Grafana's own variables, as a 1 s scrape interval would make them. */
    private static final Map<String, String> GLOBALS = Map.of("__rate_interval", "10s", "__interval", "5s",
            "__range", "1h");

    private Path work;
    private LocalProcess pfmeter;
    private LocalProcess prometheus;
    private PrometheusApi api;
    private String instance;
    private Instant pfmeterStarted;

    @BeforeAll
    void startPfmeterAndPrometheus() throws Exception {
        if (Boolean.getBoolean(PrometheusTools.SKIP_PROPERTY)) {
            return; // each test reports itself skipped (skipIfAsked)
        }
        Path prometheusBin = PrometheusTools.require("prometheus");
        Path jar = Path.of("target", "pfmeter.jar").toAbsolutePath();
        assertThat(jar).as("the shaded jar (mvn package builds it before failsafe runs)").isRegularFile();
        work = Files.createTempDirectory("pfmeter-grafana-it");

        int pfmeterPort = LocalProcess.freePort();
        instance = "127.0.0.1:" + pfmeterPort;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-jar", jar.toString(), "run",
                "--simulate", "--sim-speed", Integer.toString(SIM_SPEED),
                "--sim-fault", "state-ramp@" + RAMP_AT.toMinutes() + "m",
                "--listen", instance, "--interval", "1s", "--data-dir", work.resolve("data").toString(),
                "--jmx", "false", "--log-level", "warn"));
        simRelease().ifPresent(r -> cmd.addAll(List.of("--sim-release", r)));
        pfmeter = LocalProcess.start("pfmeter", cmd, work);
        pfmeterStarted = Instant.now();
        pfmeter.awaitHttp200("http://" + instance + "/-/ready", Duration.ofSeconds(60));

        Path rules = Files.createDirectories(work.resolve("rules"));
        for (Path f : GrafanaFiles.ruleFiles()) {
            Files.writeString(rules.resolve(f.getFileName()), shortenFor(Files.readString(f)));
        }
        int prometheusPort = LocalProcess.freePort();
        Path config = work.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files:
                  - %s/*.rules.yml
                scrape_configs:
                  - job_name: pfmeter
                    static_configs:
                      - targets: ['%s']
                """.formatted(rules, instance));
        prometheus = LocalProcess.start("prometheus", List.of(prometheusBin.toString(),
                "--config.file=" + config, "--storage.tsdb.path=" + work.resolve("tsdb"),
                "--web.listen-address=127.0.0.1:" + prometheusPort, "--log.level=warn"), work);
        String base = "http://127.0.0.1:" + prometheusPort;
        prometheus.awaitHttp200(base + "/-/ready", Duration.ofSeconds(60));
        api = new PrometheusApi(base);

        // Rates over Grafana's $__rate_interval need a few scrapes, and the rules one evaluation.
        await("five scrapes of pfmeter", Duration.ofSeconds(60),
                () -> api.query("count_over_time(pfmeter_build_info{instance=\"" + instance + "\"}[1m]) >= 5").size() > 0);
        await("every rule evaluated once", Duration.ofSeconds(30), () -> {
            for (JsonNode g : api.ruleGroups()) {
                for (JsonNode r : g.path("rules")) {
                    if (r.path("health").asText().equals("unknown")) {
                        return false;
                    }
                }
            }
            return true;
        });
    }

    @BeforeEach
    void skipIfAsked() {
        PrometheusTools.require("prometheus");
    }

    @AfterAll
    void stop() throws Exception {
        if (prometheus != null) {
            prometheus.close();
        }
        if (pfmeter != null) {
            pfmeter.close();
        }
        if (work != null) {
            try (Stream<Path> s = Files.walk(work)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Shortens every {@code for:} of a rule file; nothing else changes. */
    static String shortenFor(String rules) {
        return Pattern.compile("(?m)^(?<key>\\s+for:\\s*)\\S+\\s*$").matcher(rules).replaceAll("${key}" + SHORT_FOR);
    }

    @Test
    @Order(1)
    void everyPanelQueryReturnsDataWithEveryVariableOnAll() throws Exception {
        assertEveryQueryReturnsData(false);
    }

    @Test
    @Order(2)
    void everyPanelQueryReturnsDataWithEveryVariableOnItsFirstValue() throws Exception {
        assertEveryQueryReturnsData(true);
    }

    @Test
    @Order(3)
    void annotationQueriesAreValidPromQl() throws Exception {
        List<String> failures = new ArrayList<>();
        for (Path f : GrafanaFiles.dashboardFiles()) {
            JsonNode d = GrafanaFiles.readJson(f);
            Map<String, String> values = variableValues(d, false);
            for (Target t : GrafanaFiles.annotationTargets(d)) {
                try {
                    api.query(PromQl.substitute(t.expr(), values));
                } catch (IOException e) {
                    failures.add(t + "\n    " + e.getMessage());
                }
            }
        }
        assertThat(failures).as(String.join("\n", failures)).isEmpty();
    }

    @Test
    @Order(4)
    void prometheusLoadsEveryRuleAndEvaluatesItWithoutError() throws Exception {
        Set<String> loaded = new TreeSet<>();
        List<String> unhealthy = new ArrayList<>();
        for (JsonNode g : api.ruleGroups()) {
            for (JsonNode r : g.path("rules")) {
                loaded.add(r.path("name").asText());
                if (!r.path("health").asText().equals("ok")) {
                    unhealthy.add(r.path("name").asText() + ": " + r.path("health").asText() + " " + r.path("lastError").asText());
                }
            }
        }
        Set<String> shipped = new TreeSet<>();
        GrafanaFiles.allRules().forEach(r -> shipped.add(r.alert()));
        assertThat(loaded).isEqualTo(shipped);
        assertThat(unhealthy).isEmpty();
    }

    /**
     * The simulated 8.0 firewall's guest limiter is deliberately small and holds its limit all day (its
     * rules keep refusing states), so the limiter alert fires for it, named; a limiter that stayed below
     * 90 % all along does not fire; no label's share comes near 0.5.
     */
    @Test
    @Order(5)
    void theSimulatedLimitersAtTheirLimitsFireTheLimiterAlert() throws Exception {
        String sel = "{instance=\"" + instance + "\"}";
        if (!hasLimiters()) {
            // not present, not an error: no limiter series, nothing fires, no subsystem error
            assertThat(api.query("pf_state_limiter_inuse" + sel)).isEmpty();
            assertThat(api.query("pfmeter_subsystem_present{instance=\"" + instance + "\", subsystem=\"state_limiters\"}")
                    .get(0).path("value").get(1).asText()).isEqualTo("0");
            assertThat(activeAlerts("PfStateLimiterNearLimit")).isEmpty();
            return;
        }
        Set<String> atLimit = new TreeSet<>();
        for (JsonNode r : api.query("pf_state_limiter_inuse" + sel + " >= pf_state_limiter_limit" + sel)) {
            atLimit.add(r.path("metric").path("name").asText());
        }
        assertThat(atLimit).as("the simulator's guest limiter holds its limit").contains("guest-states");
        Set<String> firing = new TreeSet<>();
        Instant deadline = Instant.now().plusSeconds(20);
        while (Instant.now().isBefore(deadline) && !firing.contains("guest-states")) {
            firing.clear();
            for (JsonNode a : firing("PfStateLimiterNearLimit")) {
                assertThat(a.path("labels").path("instance").asText()).isEqualTo(instance);
                assertThat(a.path("annotations").path("summary").asText())
                        .matches("State limiter \\S+ on " + Pattern.quote(instance) + " is (9\\d(\\.\\d+)?|100)% full");
                firing.add(a.path("labels").path("name").asText());
            }
            Thread.sleep(250);
        }
        assertThat(firing).as("PfStateLimiterNearLimit firing per limiter; alerts now: %s", api.alerts()).contains("guest-states");
        Set<String> alwaysBelow = new TreeSet<>();
        for (JsonNode r : api.query("max_over_time((pf_state_limiter_inuse" + sel + " / pf_state_limiter_limit" + sel
                + ")[30s:1s]) < 0.9")) {
            alwaysBelow.add(r.path("metric").path("name").asText());
        }
        Set<String> firingNow = new TreeSet<>();
        firing("PfStateLimiterNearLimit").forEach(a -> firingNow.add(a.path("labels").path("name").asText()));
        assertThat(firingNow).as("limiters below 90 %% for the last 30 s do not fire").noneMatch(alwaysBelow::contains);
        JsonNode threshold = api.query("pfmeter_states_label_share_alert_ratio{instance=\"" + instance + "\"}");
        assertThat(threshold).hasSize(1);
        assertThat(threshold.get(0).path("value").get(1).asText()).isEqualTo("0.5");
        assertThat(activeAlerts("PfStatesLabelShareHigh")).isEmpty();
    }

    @Test
    @Order(6)
    void theStateTableFloodFiresTheStateTableAlerts() throws Exception {
        assertThat(Duration.between(pfmeterStarted, Instant.now()))
                .as("the checks before the flood ran before it started; raise RAMP_AT on a slower machine")
                .isLessThan(RAMP_AT_REAL.minusSeconds(5));
        assertThat(stateTableUsage()).as("state table usage before the flood").isLessThan(0.8);
        assertThat(activeAlerts("PfStateTableUsageHigh")).isEmpty();
        assertThat(activeAlerts("PfStateTableUsageCritical")).isEmpty();

        // The flood fills the table within 10 simulated minutes (10 s here); give it 90 s after it starts.
        Instant deadline = pfmeterStarted.plus(RAMP_AT_REAL).plusSeconds(90);
        List<JsonNode> critical = List.of();
        while (Instant.now().isBefore(deadline)) {
            critical = firing("PfStateTableUsageCritical");
            if (!critical.isEmpty() && !firing("PfStateTableUsageHigh").isEmpty()) {
                break;
            }
            assertThat(pfmeter.isAlive()).as(pfmeter.logTail()).isTrue();
            Thread.sleep(500);
        }
        assertThat(critical).as("PfStateTableUsageCritical firing by %s; alerts now: %s; usage %s", deadline,
                api.alerts(), stateTableUsage()).hasSize(1);
        JsonNode alert = critical.get(0);
        assertThat(alert.path("labels").path("instance").asText()).isEqualTo(instance);
        assertThat(alert.path("labels").path("limit").asText()).isEqualTo("states");
        assertThat(alert.path("labels").path("severity").asText()).isEqualTo("critical");
        assertThat(alert.path("annotations").path("summary").asText())
                .matches("pf's state table on " + Pattern.quote(instance) + " is (9[5-9](\\.\\d+)?|100)% full");
        assertThat(firing("PfStateTableUsageHigh")).hasSize(1);
    }

    private double stateTableUsage() throws IOException, InterruptedException {
        JsonNode r = api.query("pf_limit_usage{instance=\"" + instance + "\", limit=\"states\"} / pf_limit{instance=\""
                + instance + "\", limit=\"states\"}");
        assertThat(r).hasSize(1);
        return Double.parseDouble(r.get(0).path("value").get(1).asText());
    }

    private List<JsonNode> activeAlerts(String name) throws IOException, InterruptedException {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode a : api.alerts()) {
            if (a.path("labels").path("alertname").asText().equals(name)) {
                out.add(a);
            }
        }
        return out;
    }

    private List<JsonNode> firing(String name) throws IOException, InterruptedException {
        return activeAlerts(name).stream().filter(a -> a.path("state").asText().equals("firing")).toList();
    }

    /**
     * Panel queries that have no data today for a reason outside the dashboards, each with that reason.
     * The test requires them to be empty, so that the entry goes as soon as the reason does.
     */
    protected Map<String, String> knownEmpty() {
        return Map.of();
    }

    private void assertEveryQueryReturnsData(boolean firstValues) throws Exception {
        List<String> failures = new ArrayList<>();
        Map<String, String> KNOWN_EMPTY = knownEmpty();
        int queries = 0;
        for (Path f : GrafanaFiles.dashboardFiles()) {
            JsonNode d = GrafanaFiles.readJson(f);
            Map<String, String> values = variableValues(d, firstValues);
            for (Target t : GrafanaFiles.targets(d)) {
                String promql = PromQl.substitute(t.expr(), values);
                queries++;
                try {
                    boolean empty = api.query(promql).isEmpty();
                    if (empty && !KNOWN_EMPTY.containsKey(t.expr())) {
                        failures.add(t + "\n    no data for: " + promql);
                    } else if (!empty && KNOWN_EMPTY.containsKey(t.expr())) {
                        failures.add(t + "\n    has data now: remove it from KNOWN_EMPTY (" + KNOWN_EMPTY.get(t.expr()) + ")");
                    }
                } catch (IOException e) {
                    failures.add(t + "\n    " + e.getMessage());
                }
            }
        }
        assertThat(queries).isGreaterThan(50);
        assertThat(failures).as("%d of %d panel queries returned no data or an error", failures.size(), queries).isEmpty();
    }

    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((.*),\\s*(\\w+)\\)");

    /**
     * Each variable's value as Grafana would put it into the queries: a query variable lists what its
     * {@code label_values} query finds (which must not be nothing); a multi-value one is either "All"
     * (its allValue) or its first value, regex-escaped; a single-value one its first value (as Grafana
     * inserts it, not regex-escaped); a custom one its current value.
     */
    private Map<String, String> variableValues(JsonNode dashboard, boolean firstValues) throws IOException, InterruptedException {
        Map<String, String> values = new HashMap<>(GLOBALS);
        for (JsonNode v : dashboard.path("templating").path("list")) {
            String name = v.path("name").asText();
            switch (v.path("type").asText()) {
                case "datasource" -> {
                }
                case "custom" -> values.put(name, v.path("current").path("value").asText());
                case "query" -> {
                    String definition = PromQl.substitute(v.path("definition").asText(), values);
                    Matcher m = LABEL_VALUES.matcher(definition);
                    assertThat(m.matches()).as("$%s: %s", name, definition).isTrue();
                    List<String> found = api.labelValues(m.group(2), m.group(1));
                    assertThat(found).as("%s: $%s lists no values: %s", dashboard.path("title").asText(), name, definition)
                            .isNotEmpty();
                    if (!v.path("multi").asBoolean()) {
                        values.put(name, PromQl.regularEscape(found.get(0)));
                    } else if (firstValues) {
                        values.put(name, PromQl.regexEscape(found.get(0)));
                    } else {
                        values.put(name, v.path("allValue").asText());
                    }
                }
                default -> throw new AssertionError("unexpected variable type " + v.path("type").asText());
            }
        }
        return values;
    }

    @FunctionalInterface
    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void await(String what, Duration timeout, Condition c) throws Exception {
        Instant end = Instant.now().plus(timeout);
        while (!c.holds()) {
            if (Instant.now().isAfter(end)) {
                throw new AssertionError("no " + what + " within " + timeout);
            }
            Thread.sleep(250);
        }
    }
}
