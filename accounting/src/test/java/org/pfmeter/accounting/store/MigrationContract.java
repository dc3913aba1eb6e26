package org.pfmeter.accounting.store;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/**
 * What the migration contracts of V6 and V10 (run on H2 and on PostgreSQL by their subclasses) share: the stores a
 * test opened are closed after it, then its databases dropped.
 */
abstract class MigrationContract {

    private final List<AccountingStore> stores = new ArrayList<>();

    /** Drops the databases this test made (PostgreSQL: its schemas; H2: nothing, the files are temporary). */
    abstract void dropDatabases() throws Exception;

    /** Opens (and so migrates) {@code db}; the store is closed after the test. */
    AccountingStore open(StoreConfig db) {
        AccountingStore s = AccountingStore.open(db);
        stores.add(s);
        return s;
    }

    @AfterEach
    void closeAndDrop() throws Exception {
        for (AccountingStore s : stores) {
            s.close();
        }
        dropDatabases();
    }
}
