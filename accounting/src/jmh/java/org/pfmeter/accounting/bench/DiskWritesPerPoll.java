package org.pfmeter.accounting.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
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
import org.pfmeter.accounting.store.StoreConfig;
import org.pfmeter.pf.model.PfSnapshot;

/**
 * Bytes written to the database files per poll: the real ledger writes polls of {@code N} labels,
 * every counter moving, 10 s of simulated time apart, into the embedded H2 file (the daemon's URL,
 * with {@code --h2-extra} settings to try, e.g. {@code ;COMPRESS=FALSE}), and
 * {@code /proc/self/io} {@code write_bytes} is read around each write, so the figure is what
 * reaches the disk, pages, chunk headers and all.
 * The store compacts the file on its own schedule, as in the daemon
 * ({@link AccountingStore#COMPACT_EVERY}), and those bytes count too; {@code --compact-every N}
 * adds an explicit compaction every N polls. Not a JMH benchmark: the measure is bytes (the
 * ledger write's time is printed beside them). Linux only (reads /proc).
 *
 * <pre>
 * java -cp exporter/target/pfmeter-benchmarks.jar org.pfmeter.accounting.bench.DiskWritesPerPoll \
 *     [--labels 1000,5000] [--warmup 35] [--polls 90] [--compact-every 0] [--compact-ms 1000] [--h2-extra ';COMPRESS=FALSE']
 * </pre>
 */
public final class DiskWritesPerPoll {

    private static final Path PROC_IO = Path.of("/proc/self/io");

    public static void main(String[] args) throws IOException {
        List<Integer> labelCounts = List.of(1000, 5000);
        int warmup = 35;
        int polls = 90;
        int compactEvery = 0;
        long compactMs = 1000;
        String extra = "";
        for (int i = 0; i < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--labels" -> labelCounts = Arrays.stream(v.split(",")).map(Integer::valueOf).toList();
                case "--warmup" -> warmup = Integer.parseInt(v);
                case "--polls" -> polls = Integer.parseInt(v);
                case "--compact-every" -> compactEvery = Integer.parseInt(v);
                case "--compact-ms" -> compactMs = Long.parseLong(v);
                case "--h2-extra" -> extra = v;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        System.out.printf(Locale.ROOT, "h2 settings added: '%s'; %d warm-up polls, %d measured, compaction every %d polls for %d ms%n",
                extra, warmup, polls, compactEvery, compactMs);
        System.out.println("| labels | raw counter bytes per poll | written per poll (median) | mean, compaction included | ledger write (median) | file max | file at end | after close |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (int labels : labelCounts) {
            run(labels, warmup, polls, compactEvery, Duration.ofMillis(compactMs), extra);
        }
    }

    private static void run(int labels, int warmup, int polls, int compactEvery, Duration compactBudget, String extra) throws IOException {
        Path dir = Files.createTempDirectory("pfmeter-disk-writes");
        Path file = dir.resolve(StoreConfig.H2_FILE_NAME + ".mv.db");
        StoreConfig config = StoreConfig.jdbc(withSettings(StoreConfig.h2(dir).url(), extra), "", "");
        MovingLabels source = new MovingLabels(labels);
        long[] perPoll = new long[polls];
        long[] nanos = new long[polls];
        long total = 0;
        long fileMax = 0;
        long fileEnd;
        try (AccountingStore store = AccountingStore.open(config)) {
            Ledger ledger = new Ledger(store, LedgerOptions.defaults(), Clock.fixed(MovingLabels.START, ZoneOffset.UTC));
            for (int i = 0; i < warmup + polls; i++) {
                PfSnapshot poll = source.next();
                long before = writeBytes();
                long t = System.nanoTime();
                RecordResult r = ledger.record("bench", poll);
                t = System.nanoTime() - t;
                if (r.outcome() != RecordResult.Outcome.WRITTEN) {
                    throw new IllegalStateException("poll " + i + ": " + r);
                }
                Optional<Compaction> compacted = Optional.empty();
                if (compactEvery > 0 && (i + 1) % compactEvery == 0) {
                    compacted = store.compact(compactBudget);
                }
                long written = writeBytes() - before;
                if (i >= warmup) {
                    perPoll[i - warmup] = written;
                    nanos[i - warmup] = t;
                    total += written;
                    fileMax = Math.max(fileMax, Files.size(file));
                }
                compacted.ifPresent(c -> System.err.printf(Locale.ROOT, "  compaction: %.1f -> %.1f MB, fill %d%%, %d steps, %d ms%n",
                        c.bytesBefore() / 1e6, c.bytesAfter() / 1e6, c.fillRate(), c.steps(), c.took().toMillis()));
            }
            fileEnd = Files.size(file);
        }
        long closed = Files.size(file);
        long[] sorted = perPoll.clone();
        Arrays.sort(sorted);
        Arrays.sort(nanos);
        System.out.printf(Locale.ROOT, "| %,d | %,d KB | %,d KB | %,d KB | %,d ms | %.1f MB | %.1f MB | %.1f MB |%n",
                labels, labels * 4L * 8 / 1000, sorted[polls / 2] / 1000, total / polls / 1000, nanos[polls / 2] / 1_000_000,
                fileMax / 1e6, fileEnd / 1e6, closed / 1e6);
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
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
