package org.pfmeter.exporter.accounting;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.pfmeter.accounting.billing.Units;
import org.pfmeter.accounting.bills.Bill;
import org.pfmeter.accounting.bills.BillDropLog;
import org.pfmeter.accounting.bills.Bills;
import org.pfmeter.accounting.bills.BillsWriter;
import org.pfmeter.accounting.bills.PeriodFigures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The period-end drop ({@code billing.drop-directory}): each closed period of each bill, once it is
 * stored in {@code bill_period}, is written as {@code BILL-PERIOD.csv}, {@code .json} and
 * {@code .html} (the CSV and JSON of {@code pfmeter bills --bill BILL --period PERIOD}, from the
 * stored figures, so they never change), each file atomically ({@link AtomicFile}), and then
 * recorded in {@code bill_drop}.
 *
 * <p>Exactly once: a period is written until it is recorded, and never after. A crash (or a failed
 * write) between storing a period and recording its drop leaves it unrecorded, and the next pass
 * writes it (a file written before the crash is replaced by the same bytes under the same name); a
 * late poll or a restart finds it recorded and writes nothing. The database is asked only on the
 * first pass, after a pass that stored periods, and after a pass that failed.
 */
final class PeriodDrop {

    private static final Logger LOG = LoggerFactory.getLogger(PeriodDrop.class);

    /** Where the bytes go; {@link AtomicFile#write} but in tests. */
    interface FileSink {
        void write(Path dir, String name, byte[] content) throws IOException;
    }

    private final Bills bills;
    private final BillDropLog log;
    private final Path directory;
    private final Clock clock;
    private final FileSink files;
    /** Whether the database may hold periods not dropped yet: at start (a crash may have left some), after storing or failing. */
    private boolean due = true;
    private boolean failing;

    PeriodDrop(Bills bills, BillDropLog log, Path directory, Clock clock, FileSink files) {
        this.bills = Objects.requireNonNull(bills, "bills");
        this.log = Objects.requireNonNull(log, "log");
        this.directory = Objects.requireNonNull(directory, "directory");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.files = Objects.requireNonNull(files, "files");
    }

    PeriodDrop(Bills bills, BillDropLog log, Path directory, Clock clock) {
        this(bills, log, directory, clock, AtomicFile::write);
    }

    /**
     * After a written poll: writes the files of every stored period not dropped yet.
     *
     * @param stored whether this poll stored periods (then some are due)
     * @return the names of the files written
     */
    List<String> afterPoll(boolean stored) {
        if (!(due || stored)) {
            return List.of();
        }
        due = true;
        List<String> written = new ArrayList<>();
        for (BillDropLog.StoredPeriod p : log.undropped()) {
            Optional<Bill> bill = bills.file().bills().stream().filter(b -> b.name().equals(p.bill())).findFirst();
            if (bill.isEmpty()) {
                // stored under a bill the bills file no longer has: its members and customer are gone, nothing to render
                continue;
            }
            try {
                written.addAll(drop(bill.get(), p.period()));
            } catch (IOException | RuntimeException e) {
                // the period stays unrecorded: the next written poll (or the next start) writes it
                if (!failing) {         // once per outage: the daemon retries after every written poll
                    LOG.warn("bills: writing period {} of bill {} into {} failed (retried after each poll): {}", p.period(),
                            p.bill(), directory, e.toString());
                }
                failing = true;
                return written;
            }
        }
        if (failing) {
            LOG.info("bills: the periods' files are written into {} again", directory);
        }
        failing = false;
        due = false;
        return written;
    }

    private List<String> drop(Bill bill, String period) throws IOException {
        PeriodFigures f = bills.figures(bill, bill.cycle().period(period), clock.instant());
        if (!f.stored()) {
            throw new IllegalStateException("period " + period + " of bill " + bill.name() + " is not stored");
        }
        String base = bill.name() + "-" + period;
        List<BillsWriter.BillPeriods> one = List.of(new BillsWriter.BillPeriods(bill, List.of(f)));
        StringWriter csv = new StringWriter();
        BillsWriter.csv(one, csv);
        StringWriter json = new StringWriter();
        BillsWriter.json(one, f.asOf(), json);
        String html = PrintableBill.html(bill, f, Units.SI);
        if (!Files.isDirectory(directory)) {
            Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-x---")));
        }
        // the HTML last: a reader that waits for it finds the CSV and JSON in place
        files.write(directory, base + ".csv", csv.toString().getBytes(StandardCharsets.UTF_8));
        files.write(directory, base + ".json", json.toString().getBytes(StandardCharsets.UTF_8));
        files.write(directory, base + ".html", html.getBytes(StandardCharsets.UTF_8));
        log.markDropped(bill.name(), period, clock.instant());
        LOG.info("bills: wrote period {} of bill {} into {}", period, bill.name(), directory);
        return List.of(base + ".csv", base + ".json", base + ".html");
    }
}
