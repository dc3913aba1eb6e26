package org.pfmeter.accounting.store;

import org.junit.jupiter.api.AfterEach;
import org.pfmeter.accounting.testing.PostgresDatabase;

/**
 * {@link SqlUsageSourceTest} on PostgreSQL: the same buckets from sealed days, tail and journal, and
 * REPEATABLE READ keeps a bucket closed during a read out of it. Needs the test server (see
 * {@link PostgresDatabase}); {@code -Dpfmeter.pg.skip=true} skips it.
 */
class SqlUsageSourcePostgresTest extends SqlUsageSourceTest {

    private PostgresDatabase pg;

    @Override
    StoreConfig config() {
        pg = PostgresDatabase.create();
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
