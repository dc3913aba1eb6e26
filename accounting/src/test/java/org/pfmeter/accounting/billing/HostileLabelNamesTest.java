package org.pfmeter.accounting.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pfmeter.accounting.testing.Snapshots.label;
import static org.pfmeter.accounting.testing.Snapshots.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pfmeter.accounting.ledger.Ledger;
import org.pfmeter.accounting.ledger.LedgerOptions;
import org.pfmeter.accounting.store.AccountingStore;
import org.pfmeter.accounting.store.StoreConfig;
import org.pfmeter.pf.model.LabelKey;

/**
 * Issue 19 point 7: label names chosen to collide in billing. A label of the main ruleset named
 * {@code office:office-web} and the label {@code office-web} in anchor {@code office} (pf allows a
 * ':' in both a label and an anchor name) must get different printed names, and every selector
 * (an exact customer selector, a report's label list, a usage export's label) must pick exactly one.
 * Written by the real ledger into a real H2 file.
 */
class HostileLabelNamesTest {

    private static final Instant T0 = Instant.parse("2026-10-01T00:00:00Z");
    private static final Instant NOW = Instant.parse("2026-10-01T02:00:00Z");
    private static final BillingCycle CYCLE = BillingCycle.calendarMonthsUtc();
    private static final LabelKey MAIN = new LabelKey("", "office:office-web");
    private static final LabelKey IN_ANCHOR = new LabelKey("office", "office-web");
    /** Both ':' inside the anchor and inside the label: anchor "a:b", label "c:d". */
    private static final LabelKey BOTH = new LabelKey("a:b", "c:d");

    @TempDir
    Path dir;

    @BeforeEach
    void fill() {
        try (AccountingStore store = AccountingStore.open(StoreConfig.h2(dir))) {
            Ledger ledger = new Ledger(store, LedgerOptions.defaults(), Clock.fixed(T0, ZoneOffset.UTC));
            for (int i = 0; i <= 12; i++) {
                Instant t = T0.plus(Duration.ofMinutes(5L * i));
                ledger.record("fw1", snapshot(t, "sum", 20,
                        label(MAIN.anchor(), MAIN.label(), i, i, 1_000L * i, 0),           // 12,000 bytes in
                        label(IN_ANCHOR.anchor(), IN_ANCHOR.label(), i, i, 5_000_000L * i, 0),   // 60,000,000 bytes in
                        label(BOTH.anchor(), BOTH.label(), i, i, 7L * i, 0),
                        label("a", "b:c:d", i, i, 3L * i, 0),
                        label("", "mail:smtp", i, i, 11L * i, 0)));
            }
        }
    }

    private BillingReport report(CustomerMapping mapping, ReportQuery q) {
        try (AccountingStore store = AccountingStore.openForReading(StoreConfig.h2(dir))) {
            return new BillingReports(store, CYCLE, mapping, Clock.fixed(NOW, ZoneOffset.UTC)).report(q);
        }
    }

    private static ReportQuery october() {
        return ReportQuery.of(CYCLE.period("2026-10"));
    }

    @Test
    void theTwoLabelsGetDifferentPrintedNamesInCsvAndJson() throws Exception {
        BillingReport r = report(CustomerMapping.empty(), october());
        List<String> names = new ArrayList<>();
        r.labels().forEach(l -> names.add(l.name()));
        assertThat(names).doesNotHaveDuplicates().hasSize(5)
                .contains("office:office-web", "office\\:office-web", "a\\:b:c\\:d", "a:b\\:c\\:d");

        StringWriter csv = new StringWriter();
        new CsvReportWriter().write(r, csv);
        List<String> csvNames = new ArrayList<>();
        for (List<String> row : OddNamesReportTest.parseCsv(csv.toString())) {
            if (row.get(0).equals("label")) {
                csvNames.add(row.get(1));
            }
        }
        assertThat(csvNames).doesNotHaveDuplicates().hasSize(5);

        StringWriter json = new StringWriter();
        new JsonReportWriter().write(r, json);
        JsonNode tree = new ObjectMapper().readTree(json.toString());
        List<String> jsonNames = new ArrayList<>();
        for (JsonNode l : tree.get("labels")) {
            jsonNames.add(l.get("name").asText());
            // the name read back by the documented rule is exactly the anchor and label given beside it
            assertThat(LabelKey.parse(l.get("name").asText()))
                    .isEqualTo(new LabelKey(l.get("anchor").asText(), l.get("label").asText()));
        }
        assertThat(jsonNames).doesNotHaveDuplicates().hasSize(5);
        for (JsonNode n : tree.get("unassigned_labels")) {
            assertThat(jsonNames).contains(n.asText());
        }
    }

    @Test
    void aLabelSelectorPicksExactlyTheLabelItNames() {
        BillingReport anchored = report(CustomerMapping.empty(), october().withLabels(List.of("office:office-web")));
        assertThat(anchored.labels()).extracting(BillingReport.LabelLine::label).containsExactly(IN_ANCHOR);
        assertThat(anchored.labels().get(0).usage().bytesIn()).isEqualTo(60_000_000L);

        BillingReport main = report(CustomerMapping.empty(), october().withLabels(List.of("office\\:office-web")));
        assertThat(main.labels()).extracting(BillingReport.LabelLine::label).containsExactly(MAIN);
        assertThat(main.labels().get(0).usage().bytesIn()).isEqualTo(12_000L);

        BillingReport both = report(CustomerMapping.empty(), october().withLabels(List.of("a\\:b:c\\:d")));
        assertThat(both.labels()).extracting(BillingReport.LabelLine::label).containsExactly(BOTH);
    }

    @Test
    void anAmbiguousLabelSelectorIsRefusedNotGuessed() {
        // "a:b:c:d" could be four different labels; it is refused, naming the rule
        assertThatThrownBy(() -> report(CustomerMapping.empty(), october().withLabels(List.of("a:b:c:d"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a:b:c:d").hasMessageContaining("\\:");
    }

    @Test
    void anExactCustomerSelectorBillsOnlyTheLabelItNames() {
        CustomerMapping m = CustomerMapping.parse("""
                Office Anchor = office:office-web
                Office Main   = office\\:office-web
                """, "customers.txt");
        BillingReport r = report(m, october());
        BillingReport.CustomerLine anchor = r.customers().stream().filter(c -> c.customer().equals("Office Anchor")).findFirst().orElseThrow();
        BillingReport.CustomerLine main = r.customers().stream().filter(c -> c.customer().equals("Office Main")).findFirst().orElseThrow();
        assertThat(anchor.labels()).containsExactly(IN_ANCHOR);
        assertThat(anchor.usage().bytesIn()).isEqualTo(60_000_000L);
        assertThat(main.labels()).containsExactly(MAIN);
        assertThat(main.usage().bytesIn()).isEqualTo(12_000L);

        // one customer, one exact selector: only that label
        BillingReport only = report(CustomerMapping.parse("Office Anchor = office:office-web\n", "c"), october());
        assertThat(only.customers()).singleElement().satisfies(c -> assertThat(c.labels()).containsExactly(IN_ANCHOR));
        assertThat(only.unassigned()).contains(MAIN);

        // the usage export of one label is that label's traffic only
        UsageExport export = new UsageExport(AccountingStore.openForReading(StoreConfig.h2(dir)), CustomerMapping.empty(),
                Clock.fixed(NOW, ZoneOffset.UTC));
        UsageExport.Samples s = export.forLabel(CYCLE.period("2026-10"), Optional.empty(), "office\\:office-web");
        assertThat(s.labels()).containsExactly(MAIN);
        assertThat(s.samples().stream().mapToLong(UsageExport.Sample::bytesIn).sum()).isEqualTo(12_000L);
    }

    @Test
    void anAmbiguousExactSelectorIsRefusedWithItsLine() {
        assertThatThrownBy(() -> CustomerMapping.parse("# customers\nACME = a:b:c\n", "customers.txt"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("customers.txt line 2").hasMessageContaining("a:b:c").hasMessageContaining("\\:");
        assertThatThrownBy(() -> CustomerMapping.parse("ACME = :web\n", "customers.txt"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("customers.txt line 1");
    }

    @Test
    void aMappingWrittenBeforeTheRuleIsRefusedInsteadOfSilentlyBillingNothing() {
        // "mail:smtp" once also named the main-ruleset label mail:smtp; now it means label smtp in
        // anchor mail, which does not exist: the report says what to write instead
        assertThatThrownBy(() -> report(CustomerMapping.parse("Mailer = mail:smtp\n", "customers.txt"), october()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("customers.txt line 1").hasMessageContaining("'mail\\:smtp'");
        BillingReport r = report(CustomerMapping.parse("Mailer = mail\\:smtp\n", "customers.txt"), october());
        assertThat(r.customers()).singleElement().satisfies(c -> {
            assertThat(c.labels()).containsExactly(new LabelKey("", "mail:smtp"));
            assertThat(c.usage().bytesIn()).isEqualTo(11L * 12);
        });
    }

    @Test
    void patternsSeeTheEscapedName() {
        // glob:office:* is every label of anchor office, not the main-ruleset label "office:office-web"
        CustomerMapping m = CustomerMapping.parse("Office = glob:office:*\n", "c");
        assertThat(m.customerOf(IN_ANCHOR)).contains("Office");
        assertThat(m.customerOf(MAIN)).isEmpty();
        assertThat(CustomerMapping.parse("Main = regex:office\\\\:.*\n", "c").customerOf(MAIN)).contains("Main");
    }

    @Test
    void theNamingRuleRoundTrips() {
        for (LabelKey k : List.of(MAIN, IN_ANCHOR, BOTH, new LabelKey("", "web"), new LabelKey("customers/acme", "mail"),
                new LabelKey("", "back\\\\slash:\\xff"), new LabelKey("x\\\\", ":"), new LabelKey("", ""),
                new LabelKey("a", ""))) {
            assertThat(LabelKey.parse(k.toString())).as(k.anchor() + " / " + k.label()).isEqualTo(k);
        }
        assertThat(new LabelKey("", "web").toString()).isEqualTo("web");
        assertThat(new LabelKey("customers/acme", "mail").toString()).isEqualTo("customers/acme:mail");
    }
}
