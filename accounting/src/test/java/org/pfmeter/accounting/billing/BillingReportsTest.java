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
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pfmeter.accounting.ledger.Ledger;
import org.pfmeter.accounting.ledger.LedgerOptions;
import org.pfmeter.accounting.store.AccountingStore;
import org.pfmeter.accounting.store.StoreConfig;
import org.pfmeter.pf.model.LabelCounters;
import org.pfmeter.pf.model.LabelKey;

/**
 * Reports over data written by the real ledger into a real H2 file: 2026-10-01 from 00:00 to 10:00
 * UTC, a poll every 5 minutes except for a 40-minute gap, three labels.
 */
class BillingReportsTest {

    private static final Instant T0 = Instant.parse("2026-10-01T00:00:00Z");
    private static final Instant NOW = Instant.parse("2026-10-01T10:00:00Z");
    private static final BillingCycle CYCLE = BillingCycle.calendarMonthsUtc();
    private static final String MAPPING = """
            ACME Corp = web-acme
            ACME Corp = glob:customers/acme:*
            Mallory = =cmd
            """;

    @TempDir
    Path dir;

    /** Per 5-minute slot (index from 00:00), the bytes in and out the ledger was given for web-acme. */
    private final long[] webIn = new long[120];
    private final long[] webOut = new long[120];
    private long mailIn;

    @BeforeEach
    void fill() {
        try (AccountingStore store = AccountingStore.open(StoreConfig.h2(dir))) {
            Ledger ledger = new Ledger(store, LedgerOptions.defaults(), Clock.fixed(T0, ZoneOffset.UTC));
            long wIn = 0;
            long wOut = 0;
            long mIn = 0;
            long cmd = 0;
            for (int i = 0; i <= 120; i++) {
                if (i >= 50 && i < 58) {
                    continue;       // no polls 04:10 .. 04:45: the 04:50 poll books the whole gap into 04:45
                }
                Instant t = T0.plus(Duration.ofMinutes(5L * i));
                long dIn = i == 0 ? 0 : 1_000_000L * ((i * 37) % 23) + (i == 77 ? 900_000_000L : 0);
                long dOut = i == 0 ? 0 : 250_000L * ((i * 11) % 17);
                wIn += dIn;
                wOut += dOut;
                mIn += i == 0 ? 0 : 1000;
                cmd += i == 0 ? 0 : 7;
                if (i > 0) {
                    webIn[i - 1] += dIn;
                    webOut[i - 1] += dOut;
                }
                ledger.record("fw1", snapshot(t, "sum", 20,
                        counters("", "web-acme", wIn, wOut),
                        counters("customers/acme", "mail", mIn, 0),
                        counters("", "=cmd", cmd, cmd),
                        counters("", "ssh", 0, 0)));
            }
            // the gap: deltas from 04:10 to 04:50 were booked at 04:50, i.e. in slot 57 (04:45)
            for (int i = 50; i < 57; i++) {
                webIn[57] += webIn[i];
                webOut[57] += webOut[i];
                webIn[i] = 0;
                webOut[i] = 0;
            }
            mailIn = mIn;
        }
    }

    private static LabelCounters counters(String anchor, String name, long bytesIn, long bytesOut) {
        return label(anchor, name, bytesIn / 100, bytesOut / 100, bytesIn, bytesOut);
    }

    private AccountingStore store;

    @org.junit.jupiter.api.AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    private AccountingStore store() {
        if (store == null) {
            store = AccountingStore.open(StoreConfig.h2(dir));
        }
        return store;
    }

    private BillingReports reports(Instant now) {
        return new BillingReports(store(), CYCLE, CustomerMapping.parse(MAPPING, "test"),
                Clock.fixed(now, ZoneOffset.UTC));
    }

    /**
     * Slots 04:05 to 04:40 (the polls of 04:10 to 04:45 were skipped) and every slot from 10:00 on:
     * no poll fell in them.
     */
    private static boolean unpolled(int slot) {
        return slot >= 49 && slot <= 56 || slot >= 120;
    }

    /**
     * The test's own 95th percentile over the slots that were polled of the first {@code slots}: sort
     * descending, skip the top 5 % rounded down, take the next.
     */
    private static long independentP95(long[] perSlot, int slots) {
        List<Long> v = new ArrayList<>();
        for (int i = 0; i < slots; i++) {
            if (!unpolled(i)) {
                v.add(i < perSlot.length ? perSlot[i] : 0);
            }
        }
        v.sort(Collections.reverseOrder());
        int skip = v.size() * 5 / 100;
        return v.get(skip);
    }

    @Test
    void monthToDateTotalsPercentilesPeaksAndProjection() {
        BillingReport r = reports(NOW).report(ReportQuery.of(CYCLE.period("2026-10")));
        assertThat(r.complete()).isFalse();
        assertThat(r.slots()).isEqualTo(31 * 288);
        assertThat(r.ended()).isFalse();
        assertThat(r.elapsedSlots()).isEqualTo(120);
        // 8 of the 120 slots were not polled; 40 minutes is under the 1-hour threshold: not listed
        assertThat(r.coverage()).isEqualTo(new Coverage(112, 120, List.of()));
        BillingReport.LabelLine web = r.labels().stream().filter(l -> l.name().equals("web-acme")).findFirst().orElseThrow();
        long totalIn = java.util.Arrays.stream(webIn).sum();
        long totalOut = java.util.Arrays.stream(webOut).sum();
        assertThat(web.usage().bytesIn()).isEqualTo(totalIn);
        assertThat(web.usage().bytesOut()).isEqualTo(totalOut);
        assertThat(web.usage().packetsIn()).isEqualTo(totalIn / 100);
        assertThat(web.usage().p95InBps()).isEqualTo(independentP95(webIn, 120) * 8.0 / 300);
        assertThat(web.usage().p95OutBps()).isEqualTo(independentP95(webOut, 120) * 8.0 / 300);
        assertThat(web.usage().p95Bps()).isEqualTo(Math.max(web.usage().p95InBps(), web.usage().p95OutBps()));
        assertThat(web.usage().peakInBps()).isEqualTo(java.util.Arrays.stream(webIn).max().orElseThrow() * 8.0 / 300);
        assertThat(web.customer()).contains("ACME Corp");
        assertThat(web.hosts()).containsExactly("fw1");
        assertThat(web.coverage()).isEqualTo(new Coverage(112, 120, List.of()));
        // 10 hours of 31 days: × 74.4
        assertThat(web.projection().orElseThrow().bytesIn()).isEqualTo(Math.round(totalIn * 74.4));

        BillingReport.CustomerLine acme = r.customers().stream().filter(c -> c.customer().equals("ACME Corp")).findFirst().orElseThrow();
        assertThat(acme.labels()).containsExactly(new LabelKey("", "web-acme"), new LabelKey("customers/acme", "mail"));
        assertThat(acme.usage().bytesIn()).isEqualTo(totalIn + mailIn);
        assertThat(r.unassigned()).containsExactly(new LabelKey("", "ssh"));
        BillingReport.LabelLine ssh = r.labels().stream().filter(l -> l.name().equals("ssh")).findFirst().orElseThrow();
        assertThat(ssh.usage().bytesTotal()).isZero();
        assertThat(ssh.usage().p95Bps()).isZero();
        // a label without traffic is covered by its host's polls
        assertThat(ssh.coverage()).isEqualTo(new Coverage(112, 120, List.of()));
    }

    @Test
    void aGapOverTheThresholdIsListedOneUnderItIsNot() {
        BillingPeriod oct = CYCLE.period("2026-10");
        BillingReport r = reports(NOW).report(ReportQuery.of(oct).withGapThreshold(Duration.ofMinutes(35)));
        Coverage.Gap gap = new Coverage.Gap(Instant.parse("2026-10-01T04:05:00Z"), Instant.parse("2026-10-01T04:45:00Z"));
        assertThat(r.coverage().gaps()).containsExactly(gap);
        assertThat(r.labels()).allSatisfy(l -> assertThat(l.coverage().gaps()).containsExactly(gap));
        assertThat(r.customers()).allSatisfy(c -> assertThat(c.coverage().gaps()).containsExactly(gap));
        // exactly 40 minutes is not longer than a 40-minute threshold
        assertThat(reports(NOW).report(ReportQuery.of(oct).withGapThreshold(Duration.ofMinutes(40))).coverage().gaps())
                .isEmpty();
    }

    @Test
    void midSlotTheSlotInProgressCountsOnlyOnceItHasData() {
        // 10:02: slot 10:00 has started (elapsed 121) but has no poll yet: not a gap, not counted
        BillingReport r = reports(NOW.plusSeconds(120)).report(ReportQuery.of(CYCLE.period("2026-10")));
        assertThat(r.elapsedSlots()).isEqualTo(121);
        assertThat(r.coverage()).isEqualTo(new Coverage(112, 120, List.of()));
        // 10:06: slot 10:00 has ended without a poll: a gap of 5 minutes
        BillingReport later = reports(NOW.plusSeconds(360)).report(ReportQuery.of(CYCLE.period("2026-10"))
                .withGapThreshold(Duration.ZERO));
        assertThat(later.coverage().polledSlots()).isEqualTo(112);
        assertThat(later.coverage().elapsedSlots()).isEqualTo(121);
        assertThat(later.coverage().gaps()).last()
                .isEqualTo(new Coverage.Gap(Instant.parse("2026-10-01T10:00:00Z"), Instant.parse("2026-10-01T10:05:00Z")));
    }

    @Test
    void anEndedMonthWithTenHoursOfDataIsNotCompleteAndItsPercentileCoversOnlyThePolledSlots() {
        BillingReport r = reports(Instant.parse("2026-11-03T00:00:00Z")).report(ReportQuery.of(CYCLE.period("2026-10")));
        assertThat(r.ended()).isTrue();
        assertThat(r.complete()).isFalse();
        assertThat(r.elapsedSlots()).isEqualTo(8928);
        // the 40 minutes of 04:05 are under the threshold; the rest of the month is a gap
        Coverage tenHours = new Coverage(112, 8928, List.of(
                new Coverage.Gap(Instant.parse("2026-10-01T10:00:00Z"), Instant.parse("2026-11-01T00:00:00Z"))));
        assertThat(r.coverage()).isEqualTo(tenHours);
        BillingReport.LabelLine web = r.labels().stream().filter(l -> l.name().equals("web-acme")).findFirst().orElseThrow();
        assertThat(web.coverage()).isEqualTo(tenHours);
        assertThat(web.projection()).isEmpty();
        // the 112 polled slots are the samples, not 8928 of which 8816 are zeros nobody measured
        assertThat(web.usage().p95InBps()).isPositive();
        assertThat(web.usage().p95InBps()).isEqualTo(independentP95(webIn, 8928) * 8.0 / 300);
    }

    @Test
    void theRawSamplesReproduceTheBill() {
        BillingPeriod oct = CYCLE.period("2026-10");
        UsageExport export = new UsageExport(store(), CustomerMapping.parse(MAPPING, "t"),
                Clock.fixed(NOW, ZoneOffset.UTC));
        UsageExport.Samples s = export.forLabel(oct, Optional.empty(), "web-acme");
        assertThat(s.samples()).hasSize(120);
        assertThat(s.samples().get(57).bytesIn()).isEqualTo(webIn[57]);
        assertThat(s.samples().get(52).bytesIn()).isZero();
        assertThat(s.samples().get(52).hasData()).isFalse();
        assertThat(s.samples().get(57).hasData()).isTrue();
        assertThat(s.samples().stream().filter(UsageExport.Sample::hasData)).hasSize(112);
        assertThat(s.coverage(Duration.ofHours(1))).isEqualTo(new Coverage(112, 120, List.of()));
        long[] in = s.samples().stream().filter(UsageExport.Sample::hasData).mapToLong(UsageExport.Sample::bytesIn).toArray();
        assertThat(independentP95All(in) * 8.0 / 300)
                .isEqualTo(reports(NOW).report(ReportQuery.of(oct)).labels().stream()
                        .filter(l -> l.name().equals("web-acme")).findFirst().orElseThrow().usage().p95InBps());
        StringWriter csv = new StringWriter();
        export.writeCsv(s, csv);
        assertThat(csv.toString()).startsWith("subject,slot_start,slot_start_local,bytes_in,bytes_out,packets_in,packets_out,"
                + "rate_in_bps,rate_out_bps,has_data\r\nweb-acme,2026-10-01T00:00:00Z,2026-10-01T00:00Z,");
        assertThat(csv.toString()).contains("\r\nweb-acme,2026-10-01T04:10:00Z,2026-10-01T04:10Z,0,0,0,0,0.000,0.000,false\r\n");
        UsageExport.Samples customer = export.forCustomer(oct, Optional.of("fw1"), "ACME Corp");
        assertThat(customer.samples().stream().mapToLong(UsageExport.Sample::bytesIn).sum())
                .isEqualTo(java.util.Arrays.stream(webIn).sum() + mailIn);
    }

    /** {@link #independentP95} over every value given. */
    private static long independentP95All(long[] v) {
        List<Long> l = new ArrayList<>();
        for (long x : v) {
            l.add(x);
        }
        l.sort(Collections.reverseOrder());
        return l.get(l.size() * 5 / 100);
    }

    @Test
    void unknownLabelsHostsAndCustomersAreClearErrors() {
        BillingReports reports = reports(NOW);
        BillingPeriod oct = CYCLE.period("2026-10");
        assertThatThrownBy(() -> reports.report(ReportQuery.of(oct).withLabels(List.of("web-acm"))))
                .isInstanceOf(UnknownLabelException.class)
                .hasMessageContaining("label 'web-acm' is not in the accounting database; known labels: =cmd, ssh, web-acme,"
                        + " customers/acme:mail");
        assertThatThrownBy(() -> reports.report(ReportQuery.of(oct).withHost("fw9")))
                .hasMessage("host 'fw9' is not in the accounting database; known hosts: fw1");
        assertThatThrownBy(() -> reports.report(ReportQuery.of(oct).withCustomer("Initech")))
                .hasMessageContaining("customer 'Initech' is not in the customer mapping; known customers: ACME Corp, Mallory");
        assertThatThrownBy(() -> reports.report(ReportQuery.of(CYCLE.period("2026-11"))))
                .hasMessageContaining("billing month 2026-11 has not started yet");
        UsageExport export = new UsageExport(store(), CustomerMapping.empty(),
                Clock.fixed(NOW, ZoneOffset.UTC));
        assertThatThrownBy(() -> export.forLabel(oct, Optional.empty(), "nope")).isInstanceOf(UnknownLabelException.class);
    }

    @Test
    void anOverlappingMappingFailsTheReportNamingTheLabel() {
        BillingReports reports = new BillingReports(store(), CYCLE,
                CustomerMapping.parse("A = glob:web-*\nB = glob:*-acme\n", "customers.conf"), Clock.fixed(NOW, ZoneOffset.UTC));
        assertThatThrownBy(() -> reports.report(ReportQuery.of(CYCLE.period("2026-10"))))
                .isInstanceOf(CustomerMapping.OverlappingMappingException.class)
                .hasMessageContaining("label 'web-acme' is matched by");
    }

    @Test
    void csvIsSafeFromFormulaInjectionAndJsonParses() throws Exception {
        BillingReport r = reports(NOW).report(ReportQuery.of(CYCLE.period("2026-10")).withUnits(Units.IEC));
        StringWriter csv = new StringWriter();
        new CsvReportWriter().write(r, csv);
        String[] lines = csv.toString().split("\r\n");
        assertThat(lines[0]).isEqualTo(String.join(",", CsvReportWriter.HEADER));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("customer,Mallory,Mallory,,2026-10,"));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("label,'=cmd,Mallory,fw1,2026-10,"));
        assertThat(csv.toString()).doesNotContain(",=cmd");
        assertThat(lines[1].split(",")[CsvReportWriter.HEADER.indexOf("units")]).isEqualTo("iec");
        // Mallory's row: month to date, 112 of the 120 slots polled, no gap over an hour
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("customer,Mallory,").endsWith(",iec,false,0.933333,112,120,"));

        StringWriter json = new StringWriter();
        new JsonReportWriter().write(r, json);
        JsonNode root = new ObjectMapper().readTree(json.toString());
        assertThat(root.path("period").path("month").asText()).isEqualTo("2026-10");
        assertThat(root.path("complete").asBoolean()).isFalse();
        assertThat(root.path("elapsed_slots").asInt()).isEqualTo(120);
        assertThat(root.path("ended").asBoolean()).isFalse();
        assertThat(root.path("gap_threshold_seconds").asLong()).isEqualTo(3600);
        assertThat(root.path("coverage").path("polled_slots").asInt()).isEqualTo(112);
        assertThat(root.path("coverage").path("elapsed_slots").asInt()).isEqualTo(120);
        assertThat(root.path("coverage").path("ratio").asDouble()).isEqualTo(112 / 120.0);
        assertThat(root.path("coverage").path("gaps").isArray()).isTrue();
        assertThat(root.path("coverage").path("gaps")).isEmpty();
        JsonNode web = null;
        for (JsonNode l : root.path("labels")) {
            if (l.path("name").asText().equals("web-acme")) {
                web = l;
            }
        }
        assertThat(web).isNotNull();
        assertThat(web.path("bytes_in").asLong()).isEqualTo(java.util.Arrays.stream(webIn).sum());
        assertThat(web.path("human").path("volume_in").asText()).endsWith("iB");
        assertThat(web.path("coverage").path("polled_slots").asInt()).isEqualTo(112);
        assertThat(web.path("projection").path("bytes_in").asLong()).isPositive();
        assertThat(root.path("unassigned_labels").get(0).asText()).isEqualTo("ssh");
    }
}
