package org.pfmeter.accounting.testing;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.pfmeter.accounting.ledger.Ledger;
import org.pfmeter.accounting.ledger.LedgerOptions;
import org.pfmeter.accounting.ledger.RecordResult;
import org.pfmeter.accounting.store.AccountingStore;
import org.pfmeter.accounting.store.StoreConfig;
import org.pfmeter.pf.PfReader;
import org.pfmeter.pf.sim.SimClock;
import org.pfmeter.pf.sim.SimConfig;
import org.pfmeter.pf.sim.SimulatedPf;

/**
 * A pfmeter stand-in run as a separate JVM by {@link org.pfmeter.accounting.store.ProcessIT}:
 * {@code hold DIR} opens the H2 store and keeps it until stdin closes; {@code poll DIR START N}
 * polls a simulated pf every 60 simulated seconds from START, printing "polled I" after each
 * committed poll, N times (the test kills it with SIGKILL on the way).
 */
public final class LedgerChild {

    public static void main(String[] args) throws Exception {
        StoreConfig config = StoreConfig.h2(Path.of(args[1]));
        if (args[0].equals("hold")) {
            try (AccountingStore store = AccountingStore.open(config)) {
                System.out.println("open " + store.describe());
                System.out.flush();
                while (System.in.read() >= 0) {
                    // wait for the parent to close stdin
                }
            }
            return;
        }
        Instant start = Instant.parse(args[2]);
        int n = Integer.parseInt(args[3]);
        SimClock clock = SimClock.manual(start);
        SimulatedPf pf = new SimulatedPf(SimConfig.defaults(), clock);
        PfReader reader = new PfReader(pf, SimConfig.defaults().kernelRelease(), clock);
        AccountingStore store = AccountingStore.open(config);
        Ledger ledger = new Ledger(store, LedgerOptions.defaults(), Clock.systemUTC());
        for (int i = 0; i < n; i++) {
            RecordResult r = ledger.record("fw1", reader.poll());
            if (r.outcome() != RecordResult.Outcome.WRITTEN) {
                throw new IllegalStateException("poll " + i + ": " + r);
            }
            System.out.println("polled " + i);
            System.out.flush();
            clock.advance(Duration.ofSeconds(60));
        }
        store.close();
    }

    private LedgerChild() {
    }
}
