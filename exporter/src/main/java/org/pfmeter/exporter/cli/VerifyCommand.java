package org.pfmeter.exporter.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.pfmeter.accounting.store.AccountingStore;
import org.pfmeter.accounting.store.DatabaseNotReadyException;
import org.pfmeter.accounting.store.StoreConfig;
import org.pfmeter.accounting.store.StoreException;
import org.pfmeter.accounting.store.Verification;
import org.pfmeter.exporter.config.ConfigException;
import org.pfmeter.exporter.config.ConfigKey;
import org.pfmeter.exporter.config.ConfigLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code pfmeter verify}: checks the checksums of every packed row of the accounting database and
 * recomputes every sealed day from its 5-minute rows ({@link Verification}); prints one line per
 * row that is not right and a summary. Exit 0 only when nothing damaged, different or missing is
 * left; with {@code --repair}, after rewriting what can be rewritten.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Checks the accounting database: every packed row's checksum, and every sealed day against the 5-minute rows it was made from; --repair rewrites what can be rewritten.")
final class VerifyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    StoreOptions store = new StoreOptions();

    @Option(names = "--config", paramLabel = "FILE", description = "the daemon's pfmeter.conf: the database (data-dir, accounting.jdbc-*) comes from it; --data-dir, --db or --jdbc-url win")
    Path config;

    @Option(names = "--repair", description = "rewrite damaged, differing and missing sealed days from their 5-minute rows, give rows written before checksums a checksum, delete damaged journal rows (H2: stop the daemon first)")
    boolean repair;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Verification.Result r;
        String target;
        try {
            StoreConfig db = database();
            if (repair) {
                // opened for reading first, so that a path without a database is refused, never created
                try (AccountingStore check = AccountingStore.openForReading(db)) {
                    target = check.describe();
                }
                try (AccountingStore s = AccountingStore.open(db)) {
                    r = Verification.run(s, true);
                }
            } else {
                try (AccountingStore s = AccountingStore.openForReading(db)) {
                    target = s.describe();
                    r = Verification.run(s, false);
                }
            }
        } catch (IllegalArgumentException | DatabaseNotReadyException e) {
            err.println("pfmeter verify: " + e.getMessage());
            return ExitCodes.USAGE;
        } catch (ConfigException e) {
            err.println("pfmeter verify: configuration refused:");
            err.println(e.getMessage());
            return ExitCodes.USAGE;
        } catch (StoreException e) {
            err.println("pfmeter verify: " + e.getMessage());
            return ExitCodes.FAILED;
        }
        for (Verification.Finding f : r.findings()) {
            out.println(f);
        }
        out.println(summary(target, r));
        out.flush();
        return r.clean() ? ExitCodes.OK : ExitCodes.FAILED;
    }

    private StoreConfig database() throws ConfigException {
        if (config == null || store.locationGiven()) {
            return store.config();
        }
        Map<ConfigKey, String> overrides = new EnumMap<>(ConfigKey.class);
        store.addCredentialsTo(overrides);
        return ConfigLoader.loadForReading(Optional.of(config), overrides).accounting().store();
    }

    static String summary(String target, Verification.Result r) {
        StringBuilder b = new StringBuilder(target).append(": ").append(r.sealedRows()).append(" sealed days (")
                .append(r.uncheckedSealedRows()).append(" written before checksums, ").append(r.withoutSource())
                .append(" without 5-minute rows), ").append(r.journalRows()).append(" journal rows (")
                .append(r.uncheckedJournalRows()).append(" written before checksums): ");
        if (r.findings().isEmpty()) {
            return b.append("clean").toString();
        }
        String sep = "";
        for (Verification.Kind k : Verification.Kind.values()) {
            long n = r.count(k);
            if (n > 0) {
                b.append(sep).append(n).append(' ').append(k.word());
                sep = ", ";
            }
        }
        return b.append(r.clean() ? "; clean now" : "").toString();
    }
}
