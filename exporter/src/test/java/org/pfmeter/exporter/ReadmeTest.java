package org.pfmeter.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.pfmeter.exporter.config.ConfigKey;

/**
 * exporter/README.md carries the configuration table exactly as {@code --print-config-keys} prints
 * it, and the metrics reference in a form the tests can read (the reference is checked against what
 * is served by {@code DaemonEndToEndTest} and against the dashboards by {@code MetricNamesTest}).
 */
class ReadmeTest {

    @Test
    void theConfigurationTableIsWhatPrintConfigKeysPrints() {
        String table = Readmes.section(Readmes.EXPORTER, "config-keys");
        String printed = ConfigKey.markdownTable();
        assertThat(table)
                .as("exporter/README.md: the configuration table between %s and %s is not what the code prints (%s);"
                        + " regenerate it: replace the lines between the markers with the output of"
                        + " `java -jar exporter/target/pfmeter.jar run --print-config-keys`",
                        Readmes.begin("config-keys").strip(), Readmes.end("config-keys"),
                        firstDifference(table, printed, Readmes.firstLineOf(Readmes.EXPORTER, "config-keys")))
                .isEqualTo(printed);
    }

    private static String firstDifference(String readme, String printed, int firstLine) {
        List<String> r = readme.lines().toList();
        List<String> p = printed.lines().toList();
        for (int i = 0; i < Math.max(r.size(), p.size()); i++) {
            String a = i < r.size() ? r.get(i) : "(nothing)";
            String b = i < p.size() ? p.get(i) : "(nothing)";
            if (!a.equals(b)) {
                return "first difference at exporter/README.md:" + (firstLine + i) + ": the README has " + a
                        + " where the code prints " + b;
            }
        }
        return "they differ in line endings";
    }

    @Test
    void everyRowOfTheMetricsReferenceCanBeRead() {
        String block = Readmes.section(Readmes.EXPORTER, MetricsReference.MARKER);
        int first = Readmes.firstLineOf(Readmes.EXPORTER, MetricsReference.MARKER);
        List<String> problems = new ArrayList<>();
        Set<String> families = new HashSet<>();
        String[] lines = block.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (!line.startsWith("| `")) {
                continue;
            }
            var row = MetricsReference.ROW.matcher(line);
            String where = "exporter/README.md:" + (first + i) + ": ";
            if (!row.find()) {
                problems.add(where + "not a reference row (| `family` | type | `label`, … | meaning |): " + line);
            } else if (!families.add(row.group(1))) {
                problems.add(where + row.group(1) + " is listed twice");
            }
        }
        assertThat(problems).isEmpty();
        assertThat(MetricsReference.load()).hasSize(families.size()).containsKeys("pf_up", "pfmeter_build_info")
                .hasSizeGreaterThan(50);
    }
}
