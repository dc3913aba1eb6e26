package org.pfmeter.accounting.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.pfmeter.accounting.ledger.Ledger;
import org.pfmeter.accounting.ledger.LedgerOptions;
import org.pfmeter.accounting.ledger.RecordResult;
import org.pfmeter.accounting.store.AccountingStore;
import org.pfmeter.accounting.store.FileUpkeep;
import org.pfmeter.accounting.store.RetentionPolicy;
import org.pfmeter.accounting.store.SealedRowRetention;
import org.pfmeter.accounting.store.StoreConfig;

/**
 * The embedded H2 file's size over a simulated month, against the size it compacts to (issue 15:
 * "H2 file size after a paced simulated 31 days at 5,000 labels, goal at most 2x the compacted
 * size"). The real ledger writes polls of {@code --labels} labels, every counter moving, {@code
 * --interval} of simulated time apart, into the daemon's H2 URL; it closes buckets and seals days
 * as the daemon does.
 *
 * <p>"Paced" as the daemon polling at {@code --interval}: the store's clock ({@link
 * AccountingStore#open(StoreConfig, java.util.function.LongSupplier)}) follows the simulated time,
 * so it keeps the file as the daemon does: after a write, at most once a minute, it compacts for at
 * most {@link AccountingStore#COMPACT_BUDGET} (once a poll at an interval of a minute or more), and
 * at most once a day it rewrites the file into a new one when it is too large for its live data.
 * H2 keeps a dead chunk for its retention time (45 s of real time) before it reuses it; in the
 * daemon at a 5-minute interval that has passed before the next poll. Here polls follow each other
 * within a second, so the retention is set to {@code --retention-ms} (in the URL, which the store
 * opens again after a rewrite) and the tool waits that long (wall time, no CPU) between polls: what
 * one poll freed is reusable by the next, as in the daemon.
 *
 * <p>At the end of every simulated day it prints the file's size and H2's estimate of its live
 * bytes; on the days of {@code --checkpoints} it also copies the file (between two polls, a crash
 * image) and compacts the copy fully ({@code SHUTDOWN COMPACT}, what closing pfmeter does), which is the
 * compacted size the file is compared with. It stops early when the process has used
 * {@code --cpu-limit-s} seconds of CPU. With {@code --five-minute-retention} (a duration as the
 * config key {@code accounting.five-minute-retention} takes it, default {@code forever}) the 5-minute
 * rows of sealed days are deleted after it, as the daemon does after each write
 * ({@link SealedRowRetention}, at most {@link SealedRowRetention#BUDGET} after each poll, with the
 * simulated time as now). Not JMH: the measure is bytes.
 *
 * <pre>
 * nice -n 15 java -cp exporter/target/pfmeter-benchmarks.jar org.pfmeter.accounting.bench.MonthFileSize \
 *     [--labels 5000] [--days 31] [--interval-s 300] [--retention-ms 300] [--checkpoints 1,7,14,31] \
 *     [--cpu-limit-s 2700] [--five-minute-retention 3d] [--h2-extra ';SETTING=V'] [--dir DIR]
 * </pre>
 */
public final class MonthFileSize {

    public static void main(String[] args) throws IOException, SQLException, InterruptedException {
        int labels = 5000;
        int days = 31;
        long intervalS = 300;
        long retentionMs = 300;
        List<Integer> checkpoints = List.of(1, 7, 14, 31);
        long cpuLimitS = 2700;
        Path dir = null;
        String fiveMinuteRetention = "forever";
        String h2Extra = "";
        for (int i = 0; i < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--labels" -> labels = Integer.parseInt(v);
                case "--days" -> days = Integer.parseInt(v);
                case "--interval-s" -> intervalS = Long.parseLong(v);
                case "--retention-ms" -> retentionMs = Long.parseLong(v);
                case "--checkpoints" -> checkpoints = Arrays.stream(v.split(",")).map(Integer::valueOf).toList();
                case "--cpu-limit-s" -> cpuLimitS = Long.parseLong(v);
                case "--dir" -> dir = Path.of(v);
                case "--five-minute-retention" -> fiveMinuteRetention = v;
                case "--h2-extra" -> h2Extra = v;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (dir == null) {
            dir = Files.createTempDirectory("pfmeter-month-file");
        }
        Files.createDirectories(dir);
        Path file = dir.resolve(StoreConfig.H2_FILE_NAME + ".mv.db");
        // in the URL, not SET: the store reopens the database after rewriting the file
        String extra = ";RETENTION_TIME=" + retentionMs + h2Extra;
        StoreConfig config = StoreConfig.jdbc(StoreConfig.h2(dir).url() + extra, StoreConfig.h2(dir).user(), StoreConfig.h2(dir).password());
        java.util.Optional<Duration> keepRows = RetentionPolicy.parse("--five-minute-retention", fiveMinuteRetention);
        System.out.printf(Locale.ROOT, "%d labels, all moving, a poll every %d s of simulated time, %d days; the store's"
                        + " upkeep on simulated time (compaction of at most %d ms a minute, a rewrite at most once a day);"
                        + " H2 retention %d ms with as long a pause between polls; %s%n",
                labels, intervalS, days, AccountingStore.COMPACT_BUDGET.toMillis(), retentionMs, file);
        System.out.println("5-minute rows of sealed days kept " + keepRows.map(Duration::toString).orElse("forever")
                + (h2Extra.isEmpty() ? "" : "; H2 URL + " + h2Extra));
        System.out.println("| day | polls | file | live (H2's estimate) | file / live | compacted copy | file / compacted"
                + " | CPU so far | wall so far | compaction that day: time, runs that spent the budget | rewrites that day (time) |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
        MovingLabels source = new MovingLabels(labels, Duration.ofSeconds(intervalS));
        long pollsPerDay = Duration.ofDays(1).getSeconds() / intervalS;
        long wallStart = System.nanoTime();
        // the store's clock follows the simulated polls, so it compacts and rewrites as the daemon would
        java.util.concurrent.atomic.AtomicLong simulatedNanos = new java.util.concurrent.atomic.AtomicLong();
        try (AccountingStore store = AccountingStore.open(config, simulatedNanos::get)) {
            Ledger ledger = new Ledger(store, LedgerOptions.defaults(), Clock.fixed(MovingLabels.START, ZoneOffset.UTC));
            java.util.Optional<SealedRowRetention> sealedRows = keepRows.map(k -> new SealedRowRetention(store, k));
            long polls = 0;
            for (int day = 1; day <= days; day++) {
                FileUpkeep before = store.upkeep();
                for (long p = 0; p < pollsPerDay; p++) {
                    RecordResult r = ledger.record("month", source.next());
                    if (r.outcome() != RecordResult.Outcome.WRITTEN) {
                        throw new IllegalStateException("poll " + polls + ": " + r);
                    }
                    polls++;
                    simulatedNanos.set(Duration.ofSeconds(polls * intervalS).toNanos());
                    java.time.Instant now = MovingLabels.START.plusSeconds(polls * intervalS);
                    sealedRows.ifPresent(x -> x.run(now, SealedRowRetention.BUDGET));
                    Thread.sleep(retentionMs);
                }
                Map<String, Long> info = info(store);
                long size = Files.size(file);
                long live = info.get("info.FILE_SIZE") * info.get("info.FILL_RATE") / 100 * info.get("info.CHUNKS_FILL_RATE") / 100;
                String compacted = "";
                String ratio = "";
                if (checkpoints.contains(day)) {
                    long c = compactedCopy(file, dir);
                    compacted = String.format(Locale.ROOT, "%.1f MB", c / 1e6);
                    ratio = String.format(Locale.ROOT, "%.2f", (double) size / c);
                }
                long cpu = cpuSeconds();
                FileUpkeep after = store.upkeep();
                System.out.printf(Locale.ROOT, "| %d | %,d | %.1f MB | %.1f MB | %.2f | %s | %s | %d s | %d s | %.1f s, %d of %d | %d (%.1f s) |%n",
                        day, polls, size / 1e6, live / 1e6, (double) size / live, compacted, ratio, cpu,
                        (System.nanoTime() - wallStart) / 1_000_000_000L,
                        after.compactionTime().minus(before.compactionTime()).toMillis() / 1e3,
                        after.budgetSpent() - before.budgetSpent(), after.compactions() - before.compactions(),
                        after.rewrites() - before.rewrites(), after.rewriteTime().minus(before.rewriteTime()).toMillis() / 1e3);
                if (cpu > cpuLimitS) {
                    System.out.println("stopped after day " + day + ": " + cpu + " s of CPU");
                    break;
                }
            }
        }
        System.out.printf(Locale.ROOT, "after close (pfmeter's compaction at close): %.1f MB%n", Files.size(file) / 1e6);
    }

    /** H2's {@code info.*} settings: the file's size and fill rates as the MVStore sees them. */
    private static Map<String, Long> info(AccountingStore store) {
        return store.inTransaction("read H2's file statistics", c -> {
            Map<String, Long> m = new HashMap<>();
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT SETTING_NAME, SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS"
                         + " WHERE SETTING_NAME IN ('info.FILE_SIZE', 'info.FILL_RATE', 'info.CHUNKS_FILL_RATE')")) {
                while (rs.next()) {
                    m.put(rs.getString(1), Long.parseLong(rs.getString(2)));
                }
            }
            return m;
        });
    }

    /**
     * Copies the database file between two polls (nothing writes then: with {@code WRITE_DELAY=0}
     * every commit is in the file, so the copy is what a kill -9 would leave, which H2 opens as it
     * is), compacts the copy fully and returns its size. A plain copy, because {@code BACKUP TO}
     * deflates the whole file into a zip: more than 12 minutes for 1.8 GB on a busy 2-core machine.
     */
    private static long compactedCopy(Path file, Path dir) throws IOException, SQLException {
        Path copyDir = dir.resolve("compacted-copy");
        delete(copyDir);
        Files.createDirectories(copyDir);
        Files.copy(file, copyDir.resolve(file.getFileName()));
        StoreConfig copy = StoreConfig.h2(copyDir);
        try (Connection c = DriverManager.getConnection(copy.url(), copy.user(), copy.password());
             Statement st = c.createStatement()) {
            st.execute("SHUTDOWN COMPACT");
        }
        long size = Files.size(copyDir.resolve(StoreConfig.H2_FILE_NAME + ".mv.db"));
        delete(copyDir);
        return size;
    }

    private static long cpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime()
                / 1_000_000_000L;
    }

    private static void delete(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            s.sorted(Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
        }
    }
}
