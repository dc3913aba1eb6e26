package org.pfmeter.exporter.accounting;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pfmeter.accounting.bills.BillDropLog;
import org.pfmeter.accounting.bills.BillStore;
import org.pfmeter.accounting.store.AccountingStore;
import org.pfmeter.accounting.store.StoreConfig;
import org.pfmeter.exporter.TestDaemon;
import org.pfmeter.exporter.cli.Main;

/**
 * The period-end drop (billing.drop-directory) through the daemon's poll path over the simulator:
 * the period 2026-10 of both bills closes at 10:05 UTC (see {@link ClosingBills}).
 */
class PeriodDropTest {

    private static final String CUSTOMER = "=HYPERLINK(\"http://evil\") <b>&co</b>";

    private static final List<String> FILES = List.of("acme-2026-10.csv", "acme-2026-10.html", "acme-2026-10.json",
            "transit-2026-10.csv", "transit-2026-10.html", "transit-2026-10.json");

    @TempDir
    Path dir;

    private static List<String> listing(Path drop) throws Exception {
        try (Stream<Path> s = Files.list(drop)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static String bills(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void crossing_the_period_end_drops_three_files_per_bill_equal_to_pfmeter_bills_and_a_failed_write_is_repaired() throws Exception {
        Path bills = ClosingBills.write(dir, CUSTOMER);
        Path data = Files.createDirectories(dir.resolve("data"));
        Path drop = dir.resolve("drop");
        String config = "accounting.host = fw1\nbilling.bills = " + bills + "\nbilling.drop-directory = " + drop + "\n";
        try (TestDaemon d = TestDaemon.start(data, config)) {
            ClosingBills.poll(d, 3);                                    // 10:00 to 10:02: nothing has closed
            assertThat(drop).doesNotExist();
            Files.writeString(drop, "in the way");                      // the drop cannot be written: a file where its directory goes
            ClosingBills.poll(d, 6);                                    // 10:03 to 10:08: the period closes and is stored
            try (AccountingStore s = AccountingStore.openForReading(StoreConfig.h2(data))) {
                assertThat(new BillStore(s).periods("acme")).containsOnlyKeys("2026-10");
                assertThat(new BillDropLog(s).undropped()).extracting(BillDropLog.StoredPeriod::bill).containsExactly("acme", "transit");
            }
            Files.delete(drop);
            ClosingBills.poll(d, 1);                                    // the next written poll repairs it
            assertThat(listing(drop)).containsExactlyElementsOf(FILES);
            for (String f : FILES) {
                assertThat(Files.getPosixFilePermissions(drop.resolve(f)))
                        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.GROUP_READ);
            }
            Files.writeString(drop.resolve("acme-2026-10.csv"), "\nmarker", java.nio.file.StandardOpenOption.APPEND);
            ClosingBills.poll(d, 20);                                   // late polls write nothing again
            assertThat(listing(drop)).containsExactlyElementsOf(FILES);
            assertThat(Files.readString(drop.resolve("acme-2026-10.csv"))).endsWith("\nmarker");
        }
        String csv = Files.readString(drop.resolve("transit-2026-10.csv"));
        assertThat(csv).isEqualTo(bills("bills", "--data-dir", data.toString(), "--bills", bills.toString(),
                "--bill", "transit", "--period", "2026-10", "--format", "csv"));
        assertThat(csv.split("\r\n")).hasSize(2);
        String json = Files.readString(drop.resolve("acme-2026-10.json"));
        String command = bills("bills", "--data-dir", data.toString(), "--bills", bills.toString(),
                "--bill", "acme", "--period", "2026-10", "--format", "json");
        // the command's figures are as of the last poll; the file's, as of the period's end
        assertThat(json).startsWith("{\"as_of\":\"2026-11-02T10:05:00Z\",");
        assertThat(json.substring(json.indexOf(",\"bills\":"))).isEqualTo(command.substring(command.indexOf(",\"bills\":")));
        assertThat(json).contains("\"status\":\"closed\"");
        String html = Files.readString(drop.resolve("acme-2026-10.html"));
        assertThat(html).contains("=HYPERLINK(&quot;http://evil&quot;) &lt;b&gt;&amp;co&lt;/b&gt;").doesNotContain("<b>&co")
                .doesNotContainIgnoringCase("<script").contains("2026-10");
        assertThat(html).contains(">" + new com.fasterxml.jackson.databind.ObjectMapper().readTree(json).get("bills").get(0)
                .get("periods").get(0).get("bytes_total").asLong() + "<");
    }

    @Test
    void a_restart_writes_what_a_stop_left_out_and_writes_it_once() throws Exception {
        Path bills = ClosingBills.write(dir, CUSTOMER);
        Path data = Files.createDirectories(dir.resolve("data"));
        Path drop = dir.resolve("drop");
        String withoutDrop = "accounting.host = fw1\nbilling.bills = " + bills + "\n";
        String withDrop = withoutDrop + "billing.drop-directory = " + drop + "\n";
        TestDaemon first = TestDaemon.start(data, withoutDrop);
        try (first) {
            ClosingBills.poll(first, 9);                                // stored, never written: as a crash right after storing
        }
        try (AccountingStore s = AccountingStore.openForReading(StoreConfig.h2(data))) {
            assertThat(new BillStore(s).periods("transit")).containsOnlyKeys("2026-10");
        }
        assertThat(drop).doesNotExist();
        try (TestDaemon again = TestDaemon.restarted(data, withDrop, first.pf)) {
            ClosingBills.poll(again, 1);
            assertThat(listing(drop)).containsExactlyElementsOf(FILES);
        }
        Set<String> before = Set.copyOf(FILES);
        for (String f : before) {
            Files.writeString(drop.resolve(f), "kept");
        }
        try (TestDaemon third = TestDaemon.restarted(data, withDrop, first.pf)) {
            ClosingBills.poll(third, 5);
        }
        assertThat(listing(drop)).containsExactlyElementsOf(FILES);
        for (String f : FILES) {
            assertThat(Files.readString(drop.resolve(f))).as(f).isEqualTo("kept");
        }
        try (AccountingStore s = AccountingStore.openForReading(StoreConfig.h2(data))) {
            assertThat(new BillDropLog(s).undropped()).isEmpty();
        }
    }

    @Test
    void a_write_that_fails_halfway_is_written_whole_at_the_next_pass_and_recorded_once() throws Exception {
        Path bills = ClosingBills.write(dir, CUSTOMER);
        Path data = Files.createDirectories(dir.resolve("data"));
        Path drop = dir.resolve("drop");
        try (TestDaemon d = TestDaemon.start(data, "accounting.host = fw1\nbilling.bills = " + bills + "\n")) {
            ClosingBills.poll(d, 9);                                    // both periods stored, no drop configured
        }
        List<String> writes = new java.util.ArrayList<>();
        boolean[] failed = {false};
        PeriodDrop.FileSink failsOnce = (where, name, content) -> {
            if (name.endsWith(".json") && !failed[0]) {
                failed[0] = true;
                throw new java.io.IOException("disk full");
            }
            writes.add(name);
            AtomicFile.write(where, name, content);
        };
        try (AccountingStore s = AccountingStore.open(StoreConfig.h2(data))) {
            org.pfmeter.accounting.bills.Bills b = new org.pfmeter.accounting.bills.Bills(s,
                    org.pfmeter.accounting.bills.BillsFile.load(bills));
            PeriodDrop p = new PeriodDrop(b, new BillDropLog(s), drop, java.time.Clock.fixed(TestDaemon.START, java.time.ZoneOffset.UTC),
                    failsOnce);
            assertThat(p.afterPoll(false)).isEmpty();
            assertThat(listing(drop)).containsExactly("acme-2026-10.csv");      // no partial or temporary file is left
            assertThat(new BillDropLog(s).undropped()).hasSize(2);
            assertThat(p.afterPoll(false)).containsExactlyElementsOf(List.of("acme-2026-10.csv", "acme-2026-10.json",
                    "acme-2026-10.html", "transit-2026-10.csv", "transit-2026-10.json", "transit-2026-10.html"));
            assertThat(listing(drop)).containsExactlyElementsOf(FILES);
            assertThat(new BillDropLog(s).undropped()).isEmpty();
            writes.clear();
            assertThat(p.afterPoll(false)).isEmpty();
            assertThat(p.afterPoll(true)).isEmpty();
            assertThat(new PeriodDrop(b, new BillDropLog(s), drop, java.time.Clock.systemUTC(), failsOnce).afterPoll(false)).isEmpty();
            assertThat(writes).isEmpty();
            assertThat(new BillDropLog(s).markDropped("acme", "2026-10", TestDaemon.START)).isFalse();
        }
    }
}
