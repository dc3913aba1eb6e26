package org.pfmeter.exporter.grafana;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The repository's {@code grafana/} folder as the tests read it: dashboards (JSON), their panels and
 * query targets, and the alert rules (read line by line: the rule files are written in one shape,
 * which {@link #rules(Path)} checks as it goes, so no YAML library is needed).
 */
final class GrafanaFiles {

    static final ObjectMapper JSON = new ObjectMapper();

    private GrafanaFiles() {
    }

    /** The repository root: the first directory upwards from the working directory with grafana/dashboards. */
    static Path repositoryRoot() {
        Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path d = p; d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("grafana/dashboards"))) {
                return d;
            }
        }
        throw new IllegalStateException("no grafana/dashboards above " + p);
    }

    static Path grafana() {
        return repositoryRoot().resolve("grafana");
    }

    static List<Path> dashboardFiles() {
        return list(grafana().resolve("dashboards"), ".json");
    }

    static List<Path> ruleFiles() {
        return list(grafana().resolve("alerts"), ".rules.yml");
    }

    static List<Path> ruleTestFiles() {
        return list(grafana().resolve("alerts/tests"), ".yml");
    }

    private static List<Path> list(Path dir, String suffix) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(f -> f.getFileName().toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** A dashboard's panels, the ones inside collapsed rows included, without the rows themselves. */
    static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode p : dashboard.path("panels")) {
            if ("row".equals(p.path("type").asText())) {
                p.path("panels").forEach(out::add);
            } else {
                out.add(p);
            }
        }
        return out;
    }

    /** One query of one panel. */
    record Target(String dashboard, String panel, String refId, String expr) {
        @Override
        public String toString() {
            return dashboard + " / " + panel + " / " + refId + ": " + expr;
        }
    }

    static List<Target> targets(JsonNode dashboard) {
        String title = dashboard.path("title").asText();
        List<Target> out = new ArrayList<>();
        for (JsonNode p : panels(dashboard)) {
            for (JsonNode t : p.path("targets")) {
                out.add(new Target(title, p.path("title").asText(), t.path("refId").asText(), t.path("expr").asText()));
            }
        }
        return out;
    }

    /** The Prometheus queries of a dashboard's annotations (the built-in Grafana one has none). */
    static List<Target> annotationTargets(JsonNode dashboard) {
        String title = dashboard.path("title").asText();
        List<Target> out = new ArrayList<>();
        for (JsonNode a : dashboard.path("annotations").path("list")) {
            if (a.hasNonNull("expr")) {
                out.add(new Target(title, "annotation " + a.path("name").asText(), "", a.path("expr").asText()));
            }
        }
        return out;
    }

    /** One alerting rule as written in a rule file. */
    record Rule(Path file, String group, String alert, String expr, String forDuration, String severity,
                String summary, String description) {
    }

    private static final Pattern GROUP = Pattern.compile("^  - name: (\\S+)\\s*$");
    private static final Pattern ALERT = Pattern.compile("^      - alert: (\\S+)\\s*$");
    private static final Pattern KEY = Pattern.compile("^(\\s+)(expr|for|severity|summary|description): ?(.*)$");

    /**
     * The alerting rules of one file. Values may be inline, quoted, or block scalars ({@code |-} keeps
     * lines, {@code >-} folds them into one), the shapes the rule files use.
     */
    static List<Rule> rules(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Rule> out = new ArrayList<>();
        String group = null;
        String alert = null;
        java.util.Map<String, String> values = new java.util.HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher g = GROUP.matcher(line);
            Matcher a = ALERT.matcher(line);
            Matcher k = KEY.matcher(line);
            if (g.matches() || a.matches()) {
                if (alert != null) {
                    out.add(rule(file, group, alert, values));
                }
                values.clear();
                alert = a.matches() ? a.group(1) : null;
                group = g.matches() ? g.group(1) : group;
            } else if (alert != null && k.matches()) {
                String value = k.group(3).trim();
                if (value.equals("|-") || value.equals("|") || value.equals(">-") || value.equals(">")) {
                    int indent = k.group(1).length();
                    List<String> block = new ArrayList<>();
                    while (i + 1 < lines.size() && (lines.get(i + 1).isBlank()
                            || lines.get(i + 1).length() - lines.get(i + 1).stripLeading().length() > indent)) {
                        block.add(lines.get(++i).strip());
                    }
                    while (!block.isEmpty() && block.get(block.size() - 1).isEmpty()) {
                        block.remove(block.size() - 1);
                    }
                    value = String.join(value.startsWith("|") ? "\n" : " ", block);
                } else if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1).replace("\\\"", "\"");
                }
                values.put(k.group(2), value);
            }
        }
        if (alert != null) {
            out.add(rule(file, group, alert, values));
        }
        return out;
    }

    private static Rule rule(Path file, String group, String alert, java.util.Map<String, String> v) {
        return new Rule(file, group, alert, v.get("expr"), v.get("for"), v.get("severity"), v.get("summary"),
                v.get("description"));
    }

    static List<Rule> allRules() {
        List<Rule> out = new ArrayList<>();
        for (Path f : ruleFiles()) {
            out.addAll(rules(f));
        }
        return out;
    }
}
