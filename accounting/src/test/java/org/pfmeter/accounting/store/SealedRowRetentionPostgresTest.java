package org.pfmeter.accounting.store;

import org.junit.jupiter.api.AfterEach;
import org.pfmeter.accounting.testing.PostgresDatabase;

/**
 * {@link SealedRowRetentionTest} on PostgreSQL, where a fleet's hosts share the tables. Needs the
 * test server (see {@link PostgresDatabase}); {@code -Dpfmeter.pg.skip=true} skips it.
 */
class SealedRowRetentionPostgresTest extends SealedRowRetentionTest {

    private PostgresDatabase pg;

    @Override
    StoreConfig config() {
        if (pg == null) {
            pg = PostgresDatabase.create();
        }
        return pg.config();
    }

    /** The store first, then its schema. */
    @Override
    @AfterEach
    void close() throws Exception {
        super.close();
        if (pg != null) {
            pg.close();
        }
    }
}
