package org.pfmeter.accounting.store;

import java.sql.ResultSet;

/** What tests outside the store package check or change in the tables, kept here with the SQL. */
public final class TestTables {

    private TestTables() {
    }

    /** How many sealed days ({@code usage_5m_day} rows) the database holds. */
    public static long dayRows(AccountingStore store) {
        return store.query("count day rows", c -> {
            try (ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM usage_5m_day")) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /** Forgets that any day is sealed, as migration V5 does: readers then read every slot from usage_5m. */
    public static void unseal(AccountingStore store) {
        store.inTransaction("unseal", c -> c.createStatement().executeUpdate("UPDATE pf_host SET sealed_until = NULL"));
    }
}
