package org.pfmeter.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pfmeter.exporter.http.Credentials;
import org.pfmeter.pf.abi.AbiRelease;
import org.pfmeter.pf.model.LabelCounters;
import org.pfmeter.pf.model.PfSnapshot;
import org.pfmeter.pf.model.QueueStats;
import org.pfmeter.pf.model.TableStats;
import org.pfmeter.pf.sim.SimConfig;
import org.pfmeter.pf.sim.SimScale;

/**
 * Labels, tables, queues and anchors named with quotes, backslashes, newlines, tabs, leading
 * {@code = + - @} and non-UTF-8 bytes (SimConfig.ODD_NAMES) come out of the running daemon exactly:
 * in /metrics (parsed back per the text format), as JMX ObjectNames (registered, read back, unquoted),
 * and in the billing CSV (RFC 4180, formula cells neutralised) and JSON served over HTTP.
 */
class OddNamesExportTest {

    static final SimConfig ODD = new SimConfig(1, AbiRelease.V8_0, SimScale.SMALL).withNames(SimConfig.ODD_NAMES);

    @TempDir
    Path tmp;

    private static String basic() {
        return "Basic " + Base64.getEncoder().encodeToString("alice:pw pw pw pw".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void oddNamesSurviveMetricsJmxAndBilling() throws Exception {
        Path users = tmp.resolve("billing.users");
        Files.writeString(users, Credentials.line("alice", "pw pw pw pw".toCharArray()) + "\n");
        Path data = Files.createDirectories(tmp.resolve("data"));
        try (TestDaemon t = TestDaemon.start(data, "accounting.host = fw1\nhttp.billing-credentials = " + users + "\n", ODD)) {
            PfSnapshot s = t.daemon.poller().pollOnce();
            for (int i = 0; i < 6; i++) {
                t.clock.advance(Duration.ofMinutes(1));
                s = t.daemon.poller().pollOnce();
            }
            assertThat(s.complete()).as("%s", s.errors()).isTrue();
            Set<List<String>> labels = s.labels().orElseThrow().stream().map(l -> List.of(l.anchor(), l.label()))
                    .collect(Collectors.toSet());
            Set<List<String>> tables = s.tables().value().orElseThrow().stream().map(x -> List.of(x.anchor(), x.name()))
                    .collect(Collectors.toSet());
            Set<List<String>> queues = s.queues().value().orElseThrow().stream().map(q -> List.of(q.ifname(), q.name()))
                    .collect(Collectors.toSet());
            assertThat(labels).contains(List.of("", "ntp\nsecond line\ttab"), List.of("", "dmz\\xffhttps\\xc3"),
                    List.of("", "=HYPERLINK(\"http://x\",\"web\")"), List.of("off ice\"=", " leading space"),
                    List.of("", "dns \"quoted\" back\\\\slash"));
            assertThat(tables).contains(List.of("", "adm\"ins\\\\"), List.of("off ice\"=", "=print\\xfe"));
            assertThat(queues).contains(List.of("em0", "=bulk\nq"), List.of("em0", "vo ip\"\\\\"));

            // Prometheus text format: every value escaped, parsed back exactly
            String body = t.get("/metrics").body();
            Exposition e = Exposition.parse(body);
            assertThat(pairs(e, "pf_label_rules", "anchor", "label")).isEqualTo(labels);
            assertThat(pairs(e, "pf_table_addresses", "anchor", "table")).isEqualTo(tables);
            assertThat(pairs(e, "pf_queue_length", "interface", "queue")).isEqualTo(queues);
            assertThat(body).contains("label=\"ntp\\nsecond line\ttab\"");   // newline escaped, tab kept as the format allows

            // JMX: quoted ObjectName keys, MXBeans registered and readable
            Set<List<String>> jmxLabels = new HashSet<>();
            for (ObjectName on : t.mbeans.queryNames(new ObjectName("org.pfmeter:type=Label,*"), null)) {
                String anchor = ObjectName.unquote(on.getKeyProperty("anchor"));
                String label = ObjectName.unquote(on.getKeyProperty("name"));
                assertThat(t.mbeans.getAttribute(on, "Label")).isEqualTo(label);
                assertThat(t.mbeans.getAttribute(on, "Anchor")).isEqualTo(anchor);
                jmxLabels.add(List.of(anchor, label));
            }
            assertThat(jmxLabels).isEqualTo(labels);
            Set<List<String>> jmxTables = new HashSet<>();
            for (ObjectName on : t.mbeans.queryNames(new ObjectName("org.pfmeter:type=Table,*"), null)) {
                jmxTables.add(List.of(ObjectName.unquote(on.getKeyProperty("anchor")), ObjectName.unquote(on.getKeyProperty("name"))));
                assertThat(t.mbeans.getAttribute(on, "Addresses")).isNotNull();
            }
            assertThat(jmxTables).isEqualTo(tables);
            Set<List<String>> jmxQueues = new HashSet<>();
            for (ObjectName on : t.mbeans.queryNames(new ObjectName("org.pfmeter:type=Queue,*"), null)) {
                jmxQueues.add(List.of(ObjectName.unquote(on.getKeyProperty("interface")), ObjectName.unquote(on.getKeyProperty("name"))));
            }
            assertThat(jmxQueues).isEqualTo(queues);
            for (LabelCounters l : s.labels().orElseThrow()) {
                assertThat(t.mbeans.isRegistered(org.pfmeter.exporter.jmx.JmxPublisher.labelName(l.anchor(), l.label()))).isTrue();
            }

            // billing over HTTP: CSV per RFC 4180 with formula cells neutralised, JSON valid
            Set<String> names = s.labels().orElseThrow().stream().map(l -> l.key().toString()).collect(Collectors.toSet());
            HttpResponse<String> csv = t.get("/billing?month=2026-11&format=csv", "Authorization", basic());
            assertThat(csv.statusCode()).isEqualTo(200);
            List<List<String>> rows = parseCsv(csv.body());
            Set<String> csvNames = new HashSet<>();
            for (List<String> row : rows.subList(1, rows.size())) {
                assertThat(row).hasSameSizeAs(rows.get(0));
                for (String cell : row) {
                    assertThat(cell).doesNotStartWith("=").doesNotStartWith("+").doesNotStartWith("-").doesNotStartWith("@");
                }
                if (row.get(0).equals("label")) {
                    csvNames.add(row.get(1).startsWith("'") ? row.get(1).substring(1) : row.get(1));
                }
            }
            assertThat(csvNames).isEqualTo(names);
            HttpResponse<String> json = t.get("/billing?month=2026-11&format=json", "Authorization", basic());
            assertThat(json.statusCode()).isEqualTo(200);
            Set<String> jsonNames = new HashSet<>();
            for (JsonNode l : new ObjectMapper().readTree(json.body()).get("labels")) {
                jsonNames.add(l.get("name").asText());
            }
            assertThat(jsonNames).isEqualTo(names);
            String odd = "ntp\nsecond line\ttab";
            HttpResponse<String> usage = t.get("/billing/usage?month=2026-11&format=json&label="
                    + URLEncoder.encode(odd, StandardCharsets.UTF_8), "Authorization", basic());
            assertThat(usage.statusCode()).as(usage.body()).isEqualTo(200);
            assertThat(new ObjectMapper().readTree(usage.body()).get("subject").asText()).isEqualTo(odd);
        }
    }

    private static Set<List<String>> pairs(Exposition e, String sample, String k1, String k2) {
        return e.samples(sample).stream().map(x -> List.of(x.labels().get(k1), x.labels().get(k2))).collect(Collectors.toSet());
    }

    /** RFC 4180: CRLF records, '"' quoting, '""' a quote inside; a bare CR or LF only inside quotes. */
    static List<List<String>> parseCsv(String s) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder f = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < s.length() && s.charAt(i + 1) == '"') {
                    f.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    f.append(c);
                }
            } else if (c == '"' && f.isEmpty()) {
                quoted = true;
            } else if (c == ',') {
                row.add(f.toString());
                f.setLength(0);
            } else if (c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n') {
                row.add(f.toString());
                f.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
                i++;
            } else {
                assertThat(c).as("bare quote or line break outside quotes at %d", i).isNotIn('"', '\r', '\n');
                f.append(c);
            }
        }
        assertThat(quoted).isFalse();
        assertThat(f).isEmpty();
        return rows;
    }
}
