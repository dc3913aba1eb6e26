package org.pfmeter.exporter.cli;

import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.pfmeter.accounting.billing.BillingPeriod;
import org.pfmeter.accounting.billing.UsageExport;
import org.pfmeter.accounting.store.AccountingStore;
import org.pfmeter.accounting.store.DamagedRowException;
import org.pfmeter.accounting.store.SqlUsageSource;
import org.pfmeter.accounting.store.DatabaseNotReadyException;
import org.pfmeter.accounting.store.StoreException;
import org.pfmeter.exporter.config.ConfigException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code pfmeter usage}: the raw 5-minute samples behind a bill, so a customer can check it. */
@Command(name = "usage", mixinStandardHelpOptions = true,
        description = "Exports the 5-minute samples of a label or customer for a billing month (the data its 95th percentile comes from).")
final class UsageCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    StoreOptions store = new StoreOptions();

    @Mixin
    BillingOptions billing = new BillingOptions();

    static final class Subject {
        @Option(names = "--label", required = true, paramLabel = "NAME", description = "a label: label, or anchor/path:label (a ':' inside a name written \\:)")
        String label;

        @Option(names = "--customer", required = true, paramLabel = "NAME", description = "a customer of the mapping file")
        String customer;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Subject subject;

    @Option(names = "--month", required = true, paramLabel = "YYYY-MM", description = "the billing month, named after the month it starts in")
    String month;

    @Option(names = "--host", paramLabel = "HOST", description = "only this firewall (default: all hosts added up)")
    String host;

    @Option(names = "--format", paramLabel = "csv|json", defaultValue = "csv", description = "output format (default: ${DEFAULT-VALUE})")
    String format;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "write to FILE instead of standard output")
    Path out;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        if (!ReportOutput.validFormat("usage", format, err)) {
            return ExitCodes.USAGE;
        }
        UsageExport.Samples samples;
        UsageExport export;
        java.time.Duration threshold;
        java.util.Set<String> repaired = new java.util.LinkedHashSet<>();
        try {
            BillingOptions.Setup setup = billing.setup(store);
            BillingPeriod period = setup.cycle().period(month);
            threshold = setup.gapThreshold();
            try (AccountingStore s = AccountingStore.openForReading(setup.store())) {
                export = new UsageExport(new SqlUsageSource(s, repaired::add), setup.mapping(), billing.clock());
                samples = subject.label != null
                        ? export.forLabel(period, Optional.ofNullable(host), subject.label)
                        : export.forCustomer(period, Optional.ofNullable(host), subject.customer);
            }
        } catch (IllegalArgumentException | DatabaseNotReadyException e) {
            err.println("pfmeter usage: " + e.getMessage());
            return ExitCodes.USAGE;
        } catch (ConfigException e) {
            err.println("pfmeter usage: configuration refused:");
            err.println(e.getMessage());
            return ExitCodes.USAGE;
        } catch (StoreException | DamagedRowException e) {
            err.println("pfmeter usage: " + e.getMessage());
            return ExitCodes.FAILED;
        }
        try (Writer w = ReportOutput.open(out, spec)) {
            if (format.equals("csv")) {
                export.writeCsv(samples, w);
            } else {
                export.writeJson(samples, w);
            }
        }
        DamageWarnings.print(repaired, err);
        CoverageWarnings.usage((subject.label != null ? "label " : "customer ") + samples.subject() + ": " + samples.period().name(),
                samples.coverage(threshold), threshold, err);
        return ExitCodes.OK;
    }
}
