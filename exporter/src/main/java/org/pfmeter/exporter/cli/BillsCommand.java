package org.pfmeter.exporter.cli;

import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.pfmeter.accounting.billing.Units;
import org.pfmeter.accounting.bills.Bill;
import org.pfmeter.accounting.bills.Bills;
import org.pfmeter.accounting.bills.BillsFile;
import org.pfmeter.accounting.bills.BillsWriter;
import org.pfmeter.accounting.store.AccountingStore;
import org.pfmeter.accounting.store.DatabaseNotReadyException;
import org.pfmeter.accounting.store.StoreConfig;
import org.pfmeter.accounting.store.StoreException;
import org.pfmeter.exporter.config.AccountingConfig;
import org.pfmeter.exporter.config.ConfigException;
import org.pfmeter.exporter.config.ConfigKey;
import org.pfmeter.exporter.config.ConfigLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code pfmeter bills}: the bills of the bills file with their current period (to date and
 * projected) and previous periods (stored when they closed), as a table, CSV or JSON. Never writes.
 */
@Command(name = "bills", mixinStandardHelpOptions = true,
        description = "Prints the bills (95th percentile, quota, volume) with the current period to date and projected, and previous periods as stored when they closed.")
final class BillsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    StoreOptions store = new StoreOptions();

    @Option(names = "--config", paramLabel = "FILE", description = "the daemon's pfmeter.conf: the database and billing.bills come from it; the options here win")
    Path config;

    @Option(names = "--bills", paramLabel = "FILE", description = "the bills file (default: billing.bills of --config)")
    Path billsFile;

    @Option(names = "--bill", paramLabel = "NAME", description = "only this bill")
    String bill;

    @Option(names = "--period", paramLabel = "YYYY-MM", description = "this period of each bill (named after the month it starts in)")
    String period;

    @Option(names = "--history", paramLabel = "N", description = "the current period and the N before it (default: 0, the current period only)")
    Integer history;

    @Option(names = "--format", paramLabel = "table|csv|json", defaultValue = "table", description = "output format (default: ${DEFAULT-VALUE})")
    String format;

    @Option(names = "--units", paramLabel = "si|iec", defaultValue = "si", description = "SI (1000) or IEC (1024) units for the table (default: ${DEFAULT-VALUE})")
    String units;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "write to FILE instead of standard output")
    Path out;

    /** The instant figures are as of when the database holds no poll. */
    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        if (!format.equals("table") && !format.equals("csv") && !format.equals("json")) {
            err.println("pfmeter bills: --format must be table, csv or json, not '" + format + "'");
            return ExitCodes.USAGE;
        }
        if (period != null && history != null) {
            err.println("pfmeter bills: give --period or --history, not both");
            return ExitCodes.USAGE;
        }
        if (history != null && (history < 0 || history > 1200)) {
            err.println("pfmeter bills: --history must be 0 to 1200, not " + history);
            return ExitCodes.USAGE;
        }
        List<BillsWriter.BillPeriods> result = new ArrayList<>();
        Instant asOf;
        Units u;
        try {
            u = Units.parse(units);
            Setup setup = setup();
            List<Bill> chosen = bill == null ? setup.file().bills() : List.of(setup.file().bill(bill));
            if (chosen.isEmpty()) {
                throw new IllegalArgumentException("the bills file " + setup.file().source() + " has no bills");
            }
            try (AccountingStore s = AccountingStore.openForReading(setup.store())) {
                Bills bills = new Bills(s, setup.file());
                // as of the last stored poll: a database filled by pfmeter simulate ends when its simulation ends
                asOf = bills.lastPoll().orElse(clock.instant());
                for (Bill b : chosen) {
                    if (period != null) {
                        result.add(new BillsWriter.BillPeriods(b, List.of(bills.figures(b, b.cycle().period(period), asOf))));
                    } else {
                        result.add(new BillsWriter.BillPeriods(b, bills.history(b, asOf, history == null ? 0 : history)));
                    }
                }
            }
        } catch (IllegalArgumentException | DatabaseNotReadyException e) {
            err.println("pfmeter bills: " + e.getMessage());
            return ExitCodes.USAGE;
        } catch (ConfigException e) {
            err.println("pfmeter bills: configuration refused:");
            err.println(e.getMessage());
            return ExitCodes.USAGE;
        } catch (StoreException e) {
            err.println("pfmeter bills: " + e.getMessage());
            return ExitCodes.FAILED;
        }
        try (Writer w = ReportOutput.open(out, spec)) {
            switch (format) {
                case "csv" -> BillsWriter.csv(result, w);
                case "json" -> BillsWriter.json(result, asOf, w);
                default -> BillsWriter.table(result, asOf, u, w);
            }
        }
        return ExitCodes.OK;
    }

    private record Setup(StoreConfig store, BillsFile file) {
    }

    private Setup setup() throws ConfigException {
        if (config == null) {
            if (billsFile == null) {
                throw new IllegalArgumentException("no bills file: give --bills FILE, or --config with billing.bills");
            }
            return new Setup(store.config(), BillsFile.load(billsFile));
        }
        Map<ConfigKey, String> overrides = new EnumMap<>(ConfigKey.class);
        PfSourceOptions.put(overrides, ConfigKey.BILLING_BILLS, billsFile == null ? null : billsFile.toString());
        if (!store.locationGiven()) {
            store.addCredentialsTo(overrides);
        }
        AccountingConfig file = ConfigLoader.loadForReading(Optional.of(config), overrides).accounting();
        if (file.bills().isEmpty()) {
            throw new IllegalArgumentException(config + " sets no billing.bills; set it, or give --bills FILE");
        }
        StoreConfig db = store.locationGiven() ? store.config() : file.store();
        return new Setup(db, BillsFile.load(file.bills().get()));
    }
}
