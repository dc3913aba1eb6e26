package org.pfmeter.exporter.cli;

import java.io.PrintWriter;
import java.util.Collection;

/**
 * The stderr warning of {@code billing} and {@code usage} for each damaged sealed day they read
 * from its 5-minute rows instead (the figures are right; the database needs {@code pfmeter verify
 * --repair}):
 *
 * <pre>
 * pfmeter: warning: usage_5m_day fw1 customers/acme:acme-web 2026-10-05: checksum mismatch (stored 1f0c9a2e, computed
 *   8b41d7c0); read host fw1, anchor "customers/acme", label "acme-web", day 2026-10-05 from its 288 5-minute rows
 *   instead. Run `pfmeter verify --repair` to rewrite the sealed day from them
 * </pre>
 * (one line each).
 */
final class DamageWarnings {

    private DamageWarnings() {
    }

    static void print(Collection<String> repaired, PrintWriter err) {
        for (String line : repaired) {
            err.println("pfmeter: warning: " + line);
        }
        err.flush();
    }
}
