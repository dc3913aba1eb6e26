package org.pfmeter.exporter.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import org.pfmeter.accounting.simulate.MonthSimulation;
import org.pfmeter.accounting.store.StoreException;
import org.pfmeter.exporter.config.Durations;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code pfmeter simulate}: N days of simulated traffic on a fast clock, with ruleset reloads, counter
 * zeroing, pf restarts and crashes, into the accounting database; then the ground truth per label,
 * per table and per entry of the tables named by {@code --table-addresses}.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Runs the simulated pf through N days (reloads, zeroing, restarts, a crash a week) into the accounting database and prints the ground truth per label, per table and per entry of the tables named by --table-addresses beside what the ledger stored.")
final class SimulateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    StoreOptions store = new StoreOptions();

    @Option(names = "--days", required = true, paramLabel = "N", description = "simulated days, 1 to 3660 (from 2026-10-01 00:00 UTC unless --start)")
    int days;

    @Option(names = "--start", paramLabel = "INSTANT", description = "first simulated instant, e.g. 2026-10-01T00:00:00Z")
    Instant start;

    @Option(names = "--poll-interval", paramLabel = "DURATION", defaultValue = "60s", description = "simulated time between polls (default: ${DEFAULT-VALUE})")
    String pollInterval;

    @Option(names = "--seed", paramLabel = "N", description = "simulator seed")
    Long seed;

    @Option(names = "--sim-release", paramLabel = "R",
            description = "release the simulated kernel speaks: 7.8, 7.9, 8.0, freebsd-14.3, freebsd-15.0 (default 8.0)")
    String simRelease;

    @Option(names = "--host", paramLabel = "HOST", description = "host name stored with every row (default: sim)")
    String host;

    @Option(names = "--table-addresses", paramLabel = "TABLE,...",
            description = "also account the entries of these tables, as tables.address-counters makes the daemon: NAME or ANCHOR/PATH:NAME (default: none; every table's own counters are accounted)")
    String tableAddresses;

    @Option(names = "--bills", paramLabel = "FILE",
            description = "a bills file: after the simulation, the periods of its bills that closed are stored, as the daemon stores them")
    java.nio.file.Path bills;

    @Option(names = "--progress", negatable = true,
            description = "show a progress line and the events on stderr (default: only when run at a terminal)")
    Boolean progress;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        if (days < 1 || days > 3660) {
            err.println("pfmeter simulate: --days must be between 1 and 3660, not " + days);
            return ExitCodes.USAGE;
        }
        MonthSimulation.Plan plan = MonthSimulation.defaultPlan(days);
        try {
            Duration interval = Durations.parse(pollInterval);
            plan = plan.withPollInterval(interval);
        } catch (RuntimeException e) {
            err.println("pfmeter simulate: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        if (start != null) {
            plan = plan.withStart(start);
        }
        if (host != null) {
            plan = plan.withHost(host);
        }
        if (seed != null) {
            plan = plan.withSeed(seed);
        }
        if (simRelease != null) {
            try {
                plan = plan.withRelease(org.pfmeter.pf.abi.PfRelease.parse(simRelease));
            } catch (IllegalArgumentException e) {
                err.println("pfmeter simulate: --sim-release: " + e.getMessage());
                return ExitCodes.USAGE;
            }
        }
        if (tableAddresses != null) {
            try {
                plan = plan.withAddressTables(org.pfmeter.exporter.config.ConfigLoader.tableList(tableAddresses));
            } catch (IllegalArgumentException e) {
                err.println("pfmeter simulate: --table-addresses: " + e.getMessage());
                return ExitCodes.USAGE;
            }
        }
        org.pfmeter.accounting.bills.BillsFile billsFile = null;
        if (bills != null) {
            try {
                billsFile = org.pfmeter.accounting.bills.BillsFile.load(bills);
            } catch (IllegalArgumentException e) {
                err.println("pfmeter simulate: " + e.getMessage());
                return ExitCodes.USAGE;
            }
        }
        MonthSimulation.Result result;
        try {
            Progress bar = Progress.to(err, progress, Progress.interactive());
            MonthSimulation.Plan p = plan;
            try {
                // the events are also in the report on stdout; stderr repeats them only for a person watching
                result = MonthSimulation.run(store.config(), plan, line -> bar.event("simulate: " + line),
                        at -> bar.status(Progress.simulateLine(p.start(), p.days(), at)));
            } finally {
                bar.clear();
            }
        } catch (StoreException | IllegalArgumentException e) {
            err.println("pfmeter simulate: " + e.getMessage());
            return ExitCodes.FAILED;
        }
        java.io.ByteArrayOutputStream text = new java.io.ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(text, true, StandardCharsets.UTF_8)) {
            MonthSimulation.print(result, out);
        }
        if (billsFile != null) {
            try (org.pfmeter.accounting.store.AccountingStore s = org.pfmeter.accounting.store.AccountingStore.open(store.config())) {
                // the simulation's end is the last poll: every period that ended by then has closed
                List<org.pfmeter.accounting.bills.PeriodFigures> stored =
                        new org.pfmeter.accounting.bills.Bills(s, billsFile).storeClosed(plan.end());
                try (PrintStream out = new PrintStream(text, true, StandardCharsets.UTF_8)) {
                    out.printf(java.util.Locale.ROOT, "bills of %s: %d closed periods stored%s%n", bills, stored.size(),
                            stored.isEmpty() ? "" : " (" + String.join(", ", stored.stream().map(f -> f.bill() + " " + f.period()).toList()) + ")");
                }
            } catch (StoreException | IllegalArgumentException e) {
                err.println("pfmeter simulate: storing the bills' closed periods: " + e.getMessage());
                return ExitCodes.FAILED;
            }
        }
        spec.commandLine().getOut().print(text.toString(StandardCharsets.UTF_8));
        spec.commandLine().getOut().flush();
        if (!result.mismatches().isEmpty() || !result.seriesMismatches().isEmpty()) {
            List<Object> bad = new java.util.ArrayList<>(result.mismatches());
            bad.addAll(result.seriesMismatches());
            err.println("pfmeter simulate: the ledger differs from the ground truth for " + bad);
            return ExitCodes.FAILED;
        }
        return ExitCodes.OK;
    }
}
