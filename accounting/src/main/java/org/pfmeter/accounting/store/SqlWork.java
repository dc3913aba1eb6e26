package org.pfmeter.accounting.store;

import java.sql.Connection;
import java.sql.SQLException;

/** Work done on one connection: inside one transaction ({@link AccountingStore#inTransaction}) or a read ({@link AccountingStore#query}). */
@FunctionalInterface
public interface SqlWork<T> {
    T run(Connection c) throws SQLException;
}
