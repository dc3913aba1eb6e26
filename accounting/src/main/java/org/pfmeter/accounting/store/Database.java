package org.pfmeter.accounting.store;

import java.util.Locale;

/** The database products pfmeter's migrations are tested on. */
public enum Database {
    H2,
    POSTGRESQL;

    static Database of(String productName, String target) {
        String p = productName.toLowerCase(Locale.ROOT);
        if (p.contains("h2")) {
            return H2;
        }
        if (p.contains("postgres")) {
            return POSTGRESQL;
        }
        throw new StoreException(StoreException.Kind.SCHEMA, target,
                "unsupported database '" + productName + "'; pfmeter supports H2 and PostgreSQL", null);
    }
}
