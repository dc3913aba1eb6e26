package org.pfmeter.accounting.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.pfmeter.accounting.ledger.Ledger;
import org.pfmeter.accounting.ledger.LedgerOptions;
import org.pfmeter.accounting.ledger.RecordResult;
import org.pfmeter.accounting.store.AccountingStore;
import org.pfmeter.accounting.store.Compaction;
import org.pfmeter.accounting.store.SlotGrid;
import org.pfmeter.accounting.store.StoreConfig;
import org.pfmeter.pf.model.PfSnapshot;

/**
 * Bytes written to the database per poll: the real ledger writes polls of {@code N} labels, every
 * counter moving, 10 s of simulated time apart, back to back.
 * <ul>
 *   <li>H2 (the default): into the embedded file (the daemon's URL, with {@code --h2-extra}
 *       settings to try, e.g. {@code ;COMPRESS=FALSE}); {@code /proc/self/io} {@code write_bytes}
 *       is read around each write, so the figure is what reaches the disk, pages, chunk headers
 *       and all. The store compacts the file on its own schedule, as in the daemon
 *       ({@link AccountingStore#COMPACT_EVERY}), and those bytes count too;
 *       {@code --compact-every N} adds an explicit compaction every N polls.</li>
 *   <li>PostgreSQL ({@code --database postgresql}, PFMETER_BENCH_PG_URL, _USER, _PASSWORD): the WAL
 *       written, {@code pg_current_wal_lsn()} before and after each write. Every change to a table
 *       or index goes through the WAL first (full-page images included), so it is what the server
 *       writes for the ledger once more when it checkpoints the pages. The LSN is the cluster's:
 *       other sessions writing at the same time count too.</li>
 * </ul>
 * A poll that is the first of its 5-minute bucket also closes the bucket before (usage_5m rows,
 * the label_counters checkpoint, the journal rows deleted): those polls are shown apart, and the
 * mean over all measured polls includes them (90 measured polls at 10 s hold 3 bucket closes).
 * {@code --each true} prints every poll on stderr.
 * Not a JMH benchmark: the measure is bytes (the ledger write's time is printed beside them).
 * Linux only for H2 (reads /proc).
 *
 * <pre>
 * java -cp exporter/target/pfmeter-benchmarks.jar org.pfmeter.accounting.bench.DiskWritesPerPoll \
 *     [--database h2|postgresql] [--labels 1000,5000] [--warmup 35] [--polls 90] [--compact-every 0] \
 *     [--compact-ms 1000] [--h2-extra ';COMPRESS=FALSE'] [--each true]
 * </pre>
 */
public final class DiskWritesPerPoll {

    private static final Path PROC_IO = Path.of("/proc/self/io");

    public static void main(String[] args) throws IOException, SQLException {
        String database = "h2";
        List<Integer> labelCounts = List.of(1000, 5000);
        int warmup = 35;
        int polls = 90;
        int compactEvery = 0;
        long compactMs = 1000;
        String extra = "";
        boolean each = false;
        for (int i = 0; i < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--database" -> database = v;
                case "--labels" -> labelCounts = Arrays.stream(v.split(",")).map(Integer::valueOf).toList();
                case "--warmup" -> warmup = Integer.parseInt(v);
                case "--polls" -> polls = Integer.parseInt(v);
                case "--compact-every" -> compactEvery = Integer.parseInt(v);
                case "--compact-ms" -> compactMs = Long.parseLong(v);
                case "--h2-extra" -> extra = v;
                case "--each" -> each = Boolean.parseBoolean(v);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        boolean pg = database.equals("postgresql");
        System.out.printf(Locale.ROOT, "%s; %d warm-up polls, %d measured, compaction every %d polls for %d ms%n",
                pg ? "PostgreSQL, WAL bytes" : "H2, write_bytes, settings added: '" + extra + "'", warmup, polls,
                compactEvery, compactMs);
        System.out.println("| labels | raw counter bytes per poll | written per poll (mean, closes included) | a poll closing no bucket"
                + " (median) | a poll closing a bucket (mean) | ledger write, no close (median) | ledger write, closing (mean)"
                + " | file max | file at end | after close |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        for (int labels : labelCounts) {
            run(pg, labels, warmup, polls, compactEvery, Duration.ofMillis(compactMs), extra, each);
        }
    }

    private static void run(boolean pg, int labels, int warmup, int polls, int compactEvery, Duration compactBudget,
                            String extra, boolean each) throws IOException, SQLException {
        Path dir = pg ? null : Files.createTempDirectory("pfmeter-disk-writes");
        Path file = pg ? null : dir.resolve(StoreConfig.H2_FILE_NAME + ".mv.db");
        StoreConfig config = pg
                ? StoreConfig.jdbc(System.getenv("PFMETER_BENCH_PG_URL"), System.getenv("PFMETER_BENCH_PG_USER"),
                        System.getenv("PFMETER_BENCH_PG_PASSWORD"))
                : StoreConfig.jdbc(withSettings(StoreConfig.h2(dir).url(), extra), "", "");
        if (pg && config.url() == null) {
            throw new IllegalStateException("set PFMETER_BENCH_PG_URL (and _USER, _PASSWORD) to measure PostgreSQL");
        }
        String host = "disk-writes-" + System.nanoTime();
        MovingLabels source = new MovingLabels(labels);
        List<Long> inBucket = new ArrayList<>();
        List<Long> inBucketNanos = new ArrayList<>();
        List<Long> closing = new ArrayList<>();
        List<Long> closingNanos = new ArrayList<>();
        long total = 0;
        long fileMax = 0;
        long fileEnd = 0;
        try (AccountingStore store = AccountingStore.open(config);
             Connection wal = pg ? DriverManager.getConnection(config.url(), config.user(), config.password()) : null) {
            Ledger ledger = new Ledger(store, LedgerOptions.defaults(), Clock.fixed(MovingLabels.START, ZoneOffset.UTC));
            Instant previous = null;
            for (int i = 0; i < warmup + polls; i++) {
                PfSnapshot poll = source.next();
                boolean closes = previous != null && !SlotGrid.slotOf(poll.takenAt()).equals(SlotGrid.slotOf(previous));
                previous = poll.takenAt();
                long before = pg ? walBytes(wal) : writeBytes();
                long t = System.nanoTime();
                RecordResult r = ledger.record(host, poll);
                t = System.nanoTime() - t;
                if (r.outcome() != RecordResult.Outcome.WRITTEN) {
                    throw new IllegalStateException("poll " + i + ": " + r);
                }
                Optional<Compaction> compacted = Optional.empty();
                if (!pg && compactEvery > 0 && (i + 1) % compactEvery == 0) {
                    compacted = store.compact(compactBudget);
                }
                long written = (pg ? walBytes(wal) : writeBytes()) - before;
                if (i >= warmup) {
                    (closes ? closing : inBucket).add(written);
                    (closes ? closingNanos : inBucketNanos).add(t);
                    total += written;
                    if (!pg) {
                        fileMax = Math.max(fileMax, Files.size(file));
                    }
                }
                if (each) {
                    System.err.printf(Locale.ROOT, "  poll %d at %s%s: %,d KB written, %,d ms%s%n", i, poll.takenAt(),
                            closes ? " (closes a bucket)" : "", written / 1000, t / 1_000_000,
                            pg ? "" : String.format(Locale.ROOT, ", file %.1f MB", Files.size(file) / 1e6));
                }
                compacted.ifPresent(c -> System.err.printf(Locale.ROOT, "  compaction: %.1f -> %.1f MB, fill %d%%, %d steps, %d ms%n",
                        c.bytesBefore() / 1e6, c.bytesAfter() / 1e6, c.fillRate(), c.steps(), c.took().toMillis()));
            }
            if (!pg) {
                fileEnd = Files.size(file);
            }
        }
        String files = pg ? "– | – | –" : String.format(Locale.ROOT, "%.1f MB | %.1f MB | %.1f MB",
                fileMax / 1e6, fileEnd / 1e6, Files.size(file) / 1e6);
        System.out.printf(Locale.ROOT, "| %,d | %,d KB | %,d KB | %,d KB | %,d KB (%d polls) | %,d ms | %,d ms | %s |%n",
                labels, labels * 4L * 8 / 1000, total / polls / 1000, median(inBucket) / 1000, mean(closing) / 1000,
                closing.size(), median(inBucketNanos) / 1_000_000, mean(closingNanos) / 1_000_000, files);
        if (!pg) {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static long median(List<Long> values) {
        if (values.isEmpty()) {
            return 0;
        }
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }

    private static long mean(List<Long> values) {
        return values.isEmpty() ? 0 : values.stream().mapToLong(Long::longValue).sum() / values.size();
    }

    /** Where PostgreSQL's write-ahead log is now, in bytes since its start. */
    private static long walBytes(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** {@code url} with each {@code ;KEY=VALUE} of {@code extra} replacing the URL's own or added (H2 refuses a key given twice). */
    static String withSettings(String url, String extra) {
        String result = url;
        for (String setting : extra.split(";")) {
            if (setting.isBlank()) {
                continue;
            }
            String key = setting.substring(0, setting.indexOf('=') + 1);
            int at = result.indexOf(";" + key);
            if (at < 0) {
                result += ";" + setting;
            } else {
                int end = result.indexOf(';', at + 1);
                result = result.substring(0, at + 1) + setting + (end < 0 ? "" : result.substring(end));
            }
        }
        return result;
    }

    /** The bytes this process has caused to be written to storage so far. */
    private static long writeBytes() throws IOException {
        for (String line : Files.readAllLines(PROC_IO)) {
            if (line.startsWith("write_bytes:")) {
                return Long.parseLong(line.substring("write_bytes:".length()).trim());
            }
        }
        throw new IllegalStateException("no write_bytes in " + PROC_IO);
    }
}
