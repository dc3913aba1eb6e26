package org.pfmeter.exporter.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pfmeter.exporter.Exposition;
import org.pfmeter.exporter.TestDaemon;
import org.pfmeter.pf.abi.AbiRelease;
import org.pfmeter.pf.model.LabelKey;
import org.pfmeter.pf.sim.FaultSchedule;
import org.pfmeter.pf.sim.GroundTruth;
import org.pfmeter.pf.sim.SimConfig;
import org.pfmeter.pf.sim.SimScale;

/**
 * A month of operation on the fast simulated clock: the whole daemon (poller, collectors, JMX,
 * ledger into H2) polls every 10 simulated minutes for 30 days (4,320 polls) with reloads, counter
 * zeroing, pf restarts, busy rule walks, EACCES windows and a state flood along the way, and is
 * scraped once a simulated hour. At the end no memory has grown, no thread was left behind, and the
 * ledger holds per label exactly what the simulated pf counted.
 *
 * <p>{@code -Dpfmeter.soak.days=N} and {@code -Dpfmeter.soak.interval-minutes=M} run longer or denser
 * (exporter/README.md's documented run: 90 days of 5-minute polls).
 */
class SoakIT {

    private static final String HOST = "fw1";
    /** Heap after a full GC may grow this much in all (H2's page cache fills as the file grows). */
    private static final long HEAP_GROWTH_LIMIT = 24L << 20;

    @TempDir
    Path tmp;

    @Test
    void thirtySimulatedDaysWithFaultsLeakNothingAndEqualTheGroundTruth() throws Exception {
        int days = Integer.getInteger("pfmeter.soak.days", 30);
        Duration interval = Duration.ofMinutes(Integer.getInteger("pfmeter.soak.interval-minutes", 10));
        try (TestDaemon d = TestDaemon.start(Files.createDirectories(tmp.resolve("data")),
                "accounting.host = " + HOST + "\npoll.interval = " + interval.toMinutes() + "m\n", new SimConfig(11, AbiRelease.V8_0, SimScale.SMALL))) {
            d.pf.schedule(faults(days));
            GroundTruth baseline = d.pf.groundTruth();
            long polls = days * Duration.ofDays(1).dividedBy(interval);
            long warmUp = Duration.ofDays(1).dividedBy(interval);
            long heapAfterWarmUp = 0;
            Set<String> threadsAfterWarmUp = Set.of();
            long t0 = System.nanoTime();
            for (long i = 0; i <= polls; i++) {
                if (i > 0) {
                    d.clock.advance(interval);
                }
                d.daemon.poller().pollOnce();
                if (i % 12 == 0) {
                    assertThat(d.get("/metrics").statusCode()).isEqualTo(200);
                }
                if (i == warmUp) {
                    heapAfterWarmUp = JvmGauges.heapAfterGc();
                    threadsAfterWarmUp = JvmGauges.threads(JvmGauges.NOT_TEST_HELPERS);
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            long heapAtEnd = JvmGauges.heapAfterGc();
            Set<String> threadsAtEnd = JvmGauges.threads(JvmGauges.NOT_TEST_HELPERS);

            Exposition m = d.scrape();
            Map<LabelKey, GroundTruth.Counts> expected = LedgerTotals.expected(baseline, d.pf.groundTruth());
            Map<LabelKey, GroundTruth.Counts> stored = LedgerTotals.stored(d.daemon.accounting().orElseThrow().store(), HOST);
            String report = String.format(Locale.ROOT, "soak: %d simulated days, %d polls in %.1f s (%.0f polls/s); heap after GC"
                            + " %.1f MiB after day 1, %.1f MiB at the end; %d daemon threads; %d label resets; %d bytes accounted%n",
                    days, polls + 1, seconds, (polls + 1) / seconds, heapAfterWarmUp / 1048576.0, heapAtEnd / 1048576.0,
                    threadsAtEnd.size(), (long) (double) m.value("pfmeter_ledger_resets_total", "kind", "label").orElse(-1.0),
                    LedgerTotals.bytes(stored));
            System.out.print(report);
            writeReport(report);

            assertThat(m.value("pfmeter_polls_total")).contains((double) polls + 1);
            assertThat(m.value("pfmeter_ledger_backlog_polls")).contains(0.0);
            assertThat(m.value("pfmeter_ledger_dropped_polls_total")).contains(0.0);
            assertThat(m.value("pfmeter_ledger_resets_total", "kind", "label")).hasValueSatisfying(v -> assertThat(v).isPositive());
            assertThat(m.value("pf_ruleset_changes_total")).hasValueSatisfying(v -> assertThat(v).isGreaterThanOrEqualTo(days / 7));
            assertThat(m.value("pfmeter_poll_errors_total", "subsystem", "status"))
                    .as("the EACCES windows were polled").hasValueSatisfying(v -> assertThat(v).isPositive());
            assertThat(LedgerTotals.differences(expected, stored)).isEmpty();
            assertThat(heapAtEnd - heapAfterWarmUp).as("heap growth in bytes after a full GC").isLessThan(HEAP_GROWTH_LIMIT);
            // Jetty's pool starts and retires workers as it likes (at most 16): any other new thread is a leak
            Set<String> added = new java.util.TreeSet<>(threadsAtEnd);
            added.removeAll(threadsAfterWarmUp);
            added.removeIf(JvmGauges.JETTY_WORKER);
            assertThat(added).as("threads started after day 1 and still alive").isEmpty();
            assertThat(threadsAtEnd.stream().filter(JvmGauges.JETTY_WORKER).count()).isLessThanOrEqualTo(16);
        }
    }

    /** Every week: a ruleset reload, a busy walk, a counter zeroing, a pf restart, an EACCES window, a state flood. */
    static FaultSchedule faults(int days) {
        List<String> entries = new ArrayList<>();
        for (int week = 0; week * 7 < days; week++) {
            int d0 = week * 7;
            entries.add("ruleset-reload@" + (d0 + 1) + "d7h13m10s");
            entries.add("busy-rule-walk@" + (d0 + 1) + "d9h");
            entries.add("zero-counters@" + (d0 + 2) + "d14h2m30s");
            entries.add("eacces@" + (d0 + 3) + "d3h+40m");
            entries.add("pf-restart@" + (d0 + 4) + "d3h33m20s");
            entries.add("state-ramp@" + (d0 + 5) + "d12h+30m");
            entries.add("ruleset-reload@" + (d0 + 6) + "d23h59m59s");
        }
        return FaultSchedule.parse(String.join(",", entries.stream().filter(e -> offsetDays(e) < days).toList()));
    }

    private static int offsetDays(String entry) {
        String at = entry.substring(entry.indexOf('@') + 1);
        return Integer.parseInt(at.substring(0, at.indexOf('d')));
    }

    private static void writeReport(String report) throws IOException {
        Path out = Path.of("target", "soak-report.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
    }
}
