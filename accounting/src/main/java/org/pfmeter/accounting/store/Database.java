package org.pfmeter.accounting.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;

/** The database products pfmeter's migrations are tested on. */
public enum Database {
    H2,
    POSTGRESQL;

    /** The product behind an open connection. */
    public static Database of(Connection c) throws SQLException {
        return of(c.getMetaData().getDatabaseProductName(), c.getMetaData().getURL());
    }

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
