package org.pfmeter.exporter.cli;

import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.pfmeter.accounting.billing.BillingCycle;
import org.pfmeter.accounting.billing.BillingReport;
import org.pfmeter.accounting.billing.BillingReports;
import org.pfmeter.accounting.billing.CsvReportWriter;
import org.pfmeter.accounting.billing.JsonReportWriter;
import org.pfmeter.accounting.billing.ReportQuery;
import org.pfmeter.accounting.store.AccountingStore;
import org.pfmeter.accounting.store.DamagedRowException;
import org.pfmeter.accounting.store.SqlUsageSource;
import org.pfmeter.accounting.store.DatabaseNotReadyException;
import org.pfmeter.accounting.store.StoreException;
import org.pfmeter.exporter.config.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code pfmeter billing}: the monthly report from the accounting database, as CSV or JSON. */
@Command(name = "billing", mixinStandardHelpOptions = true,
        description = "Prints the billing report of a month (totals, 95th percentile, peak, month-to-date and projection) per label and customer.")
final class BillingCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    StoreOptions store = new StoreOptions();

    @Mixin
    BillingOptions billing = new BillingOptions();

    @Option(names = "--month", required = true, paramLabel = "YYYY-MM", description = "the billing month, named after the month it starts in")
    String month;

    @Option(names = "--customer", paramLabel = "NAME", description = "only this customer and its labels")
    String customer;

    @Option(names = "--label", paramLabel = "NAME", description = "only these labels (label, or anchor/path:label; a ':' inside a name written \\:); repeatable")
    List<String> labels;

    @Option(names = "--host", paramLabel = "HOST", description = "only this firewall (default: all hosts in the database)")
    String host;

    @Option(names = "--format", paramLabel = "csv|json", defaultValue = "csv", description = "output format (default: ${DEFAULT-VALUE})")
    String format;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "write to FILE instead of standard output")
    Path out;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        if (!ReportOutput.validFormat("billing", format, err)) {
            return ExitCodes.USAGE;
        }
        BillingReport report;
        java.util.Set<String> repaired = new java.util.LinkedHashSet<>();
        try {
            BillingOptions.Setup setup = billing.setup(store);
            BillingCycle cycle = setup.cycle();
            ReportQuery q = ReportQuery.of(cycle.period(month)).withUnits(billing.units())
                    .withGapThreshold(setup.gapThreshold());
            if (host != null) {
                q = q.withHost(host);
            }
            if (labels != null && !labels.isEmpty()) {
                q = q.withLabels(labels);
            }
            if (customer != null) {
                q = q.withCustomer(customer);
            }
            try (AccountingStore s = AccountingStore.openForReading(setup.store())) {
                report = new BillingReports(new SqlUsageSource(s, repaired::add), cycle, setup.mapping(), billing.clock()).report(q);
            }
        } catch (IllegalArgumentException | DatabaseNotReadyException e) {
            err.println("pfmeter billing: " + e.getMessage());
            return ExitCodes.USAGE;
        } catch (ConfigException e) {
            err.println("pfmeter billing: configuration refused:");
            err.println(e.getMessage());
            return ExitCodes.USAGE;
        } catch (StoreException | DamagedRowException e) {
            err.println("pfmeter billing: " + e.getMessage());
            return ExitCodes.FAILED;
        }
        try (Writer w = ReportOutput.open(out, spec)) {
            if (format.equals("csv")) {
                new CsvReportWriter().write(report, w);
            } else {
                new JsonReportWriter().write(report, w);
            }
        }
        DamageWarnings.print(repaired, err);
        CoverageWarnings.billing(report, err);
        return ExitCodes.OK;
    }
}
