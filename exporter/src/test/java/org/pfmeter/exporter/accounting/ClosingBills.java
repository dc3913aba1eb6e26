package org.pfmeter.exporter.accounting;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.pfmeter.exporter.TestDaemon;

/**
 * Two bills whose period 2026-10 closes a few minutes into a {@link TestDaemon}'s polls: a quota bill
 * (acme) and a 95th-percentile bill (transit), both in a fixed zone of −10:05, so that local midnight
 * of 2 November, the end of their period, is 10:05 UTC and the daemon first polls at 10:00 UTC.
 */
final class ClosingBills {

    private ClosingBills() {
    }

    /** Writes the bills file into {@code dir}; acme's customer name is {@code acmeCustomer}, as written. */
    static Path write(Path dir, String acmeCustomer) throws IOException {
        return Files.writeString(dir.resolve("bills.conf"), """
                [bill acme]
                customer  = %s
                type      = quota
                quota     = 1G
                day       = 2
                zone      = -10:05
                anchor    = customers/acme

                [bill transit]
                type      = 95th
                commit    = 1M
                day       = 2
                zone      = -10:05
                label     = glob:egress-*
                """.formatted(acmeCustomer));
    }

    /** Polls once a simulated minute, {@code minutes} times: nine polls from the start close the period. */
    static void poll(TestDaemon d, int minutes) {
        for (int i = 0; i < minutes; i++) {
            d.daemon.poller().pollOnce();
            d.clock.advance(Duration.ofMinutes(1));
        }
    }
}
