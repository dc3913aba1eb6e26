package org.pfmeter.accounting.billing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pfmeter.accounting.ledger.Ledger;
import org.pfmeter.accounting.ledger.LedgerOptions;
import org.pfmeter.accounting.store.AccountingStore;
import org.pfmeter.accounting.store.StoreConfig;
import org.pfmeter.pf.PfReader;
import org.pfmeter.pf.model.LabelCounters;
import org.pfmeter.pf.model.PfSnapshot;
import org.pfmeter.pf.sim.SimClock;
import org.pfmeter.pf.sim.SimConfig;
import org.pfmeter.pf.sim.SimulatedPf;

/**
 * Labels with quotes, backslashes, newlines, tabs, leading {@code = + - @} and non-UTF-8 bytes
 * (SimConfig.ODD_NAMES) go from the simulated kernel through the ledger and H2 into the billing CSV
 * and JSON, and come back out exactly: CSV parsed per RFC 4180 (minus the one leading {@code '} of
 * a neutralised cell), JSON parsed.
 */
class OddNamesReportTest {

    private static final Instant T0 = Instant.parse("2026-10-01T00:00:00Z");

    @TempDir
    Path dir;

    @Test
    void oddLabelsSurviveTheLedgerCsvAndJson() throws Exception {
        SimulatedPf sim = new SimulatedPf(SimConfig.defaults().withNames(SimConfig.ODD_NAMES), SimClock.manual(T0));
        PfReader reader = new PfReader(sim, sim.config().kernelRelease(), sim.clock());
        Set<String> names = new HashSet<>();
        try (AccountingStore store = AccountingStore.open(StoreConfig.h2(dir))) {
            for (int i = 0; i <= 6; i++) {
                PfSnapshot s = reader.poll();
                Ledger ledger = new Ledger(store, LedgerOptions.defaults(), Clock.fixed(s.takenAt(), ZoneOffset.UTC));
                ledger.record("fw\"1", s);
                if (i == 0) {
                    for (LabelCounters l : s.labels().orElseThrow()) {
                        names.add(l.key().toString());
                    }
                }
                sim.advance(Duration.ofMinutes(5));
            }
            // the ':' inside the label is written "\\:" in its qualified name (LabelKey)
            assertThat(names).contains("=HYPERLINK(\"http\\://x\",\"web\")", "ntp\nsecond line\ttab", "+ssh, comma; semicolon",
                    "-mail 'single'", "@admin {curly} = x", "dmz\\xffhttps\\xc3", "dns \"quoted\" back\\\\slash",
                    "off ice\"=: leading space");
            BillingCycle cycle = BillingCycle.calendarMonthsUtc();
            Clock now = Clock.fixed(T0.plus(Duration.ofHours(1)), ZoneOffset.UTC);
            BillingReport r = new BillingReports(store, cycle, CustomerMapping.parse("@Evil \"Corp\", Inc = =HYPERLINK(\"http\\://x\",\"web\")\n", "t"), now)
                    .report(ReportQuery.of(cycle.period("2026-10")));

            StringWriter csv = new StringWriter();
            new CsvReportWriter().write(r, csv);
            List<List<String>> rows = parseCsv(csv.toString());
            assertThat(rows.get(0)).isEqualTo(CsvReportWriter.HEADER);
            Set<String> csvNames = new HashSet<>();
            for (List<String> row : rows.subList(1, rows.size())) {
                assertThat(row).hasSameSizeAs(CsvReportWriter.HEADER);
                for (String cell : row) {
                    assertThat(cell).as("no cell a spreadsheet would evaluate").doesNotStartWith("=").doesNotStartWith("+")
                            .doesNotStartWith("-").doesNotStartWith("@").doesNotStartWith("\t");
                }
                if (row.get(0).equals("label")) {
                    csvNames.add(text(row.get(1)));
                } else {
                    assertThat(text(row.get(1))).isEqualTo("@Evil \"Corp\", Inc");
                }
                assertThat(row.get(3).isEmpty() || text(row.get(3)).equals("fw\"1")).isTrue();
            }
            assertThat(csvNames).isEqualTo(names);

            StringWriter json = new StringWriter();
            new JsonReportWriter().write(r, json);
            JsonNode tree = new ObjectMapper().readTree(json.toString());
            Set<String> jsonNames = new HashSet<>();
            for (JsonNode l : tree.get("labels")) {
                jsonNames.add(l.get("name").asText());
            }
            assertThat(jsonNames).isEqualTo(names);
            assertThat(tree.get("customers").get(0).get("customer").asText()).isEqualTo("@Evil \"Corp\", Inc");

            UsageExport export = new UsageExport(store, CustomerMapping.empty(), now);
            for (String name : List.of("ntp\nsecond line\ttab", "dmz\\xffhttps\\xc3", "=HYPERLINK(\"http\\://x\",\"web\")")) {
                UsageExport.Samples s = export.forLabel(cycle.period("2026-10"), Optional.empty(), name);
                StringWriter u = new StringWriter();
                export.writeCsv(s, u);
                List<List<String>> urows = parseCsv(u.toString());
                assertThat(urows).hasSizeGreaterThan(1);
                assertThat(urows.subList(1, urows.size())).allSatisfy(row -> assertThat(text(row.get(0))).isEqualTo(name));
                StringWriter uj = new StringWriter();
                export.writeJson(s, uj);
                assertThat(new ObjectMapper().readTree(uj.toString()).get("subject").asText()).isEqualTo(name);
            }
        }
    }

    /** The documented inverse of the formula guard: one leading quote is dropped. */
    private static String text(String cell) {
        return cell.startsWith("'") ? cell.substring(1) : cell;
    }

    /** RFC 4180: CRLF records, fields quoted with '"' where needed, '""' a quote inside. */
    static List<List<String>> parseCsv(String s) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder f = new StringBuilder();
        int i = 0;
        boolean quoted = false;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < s.length() && s.charAt(i + 1) == '"') {
                    f.append('"');
                    i += 2;
                } else if (c == '"') {
                    quoted = false;
                    i++;
                } else {
                    f.append(c);
                    i++;
                }
            } else if (c == '"') {
                assertThat(f).as("a quote only opens a field").isEmpty();
                quoted = true;
                i++;
            } else if (c == ',') {
                row.add(f.toString());
                f.setLength(0);
                i++;
            } else if (c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n') {
                row.add(f.toString());
                f.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
                i += 2;
            } else {
                assertThat(c).as("bare line break outside quotes at %d", i).isNotIn('\r', '\n');
                f.append(c);
                i++;
            }
        }
        assertThat(quoted).as("unterminated quoted field").isFalse();
        assertThat(f).as("last record ends with CRLF").isEmpty();
        return rows;
    }
}
