package org.pfmeter.accounting.bills;

import org.pfmeter.accounting.store.StoreConfig;
import org.pfmeter.accounting.testing.PostgresSchemas;

/**
 * {@link BillsContract} on PostgreSQL, in a schema of its own (PFMETER_TEST_PG_URL; fails without it
 * unless -Dpfmeter.pg.skip=true, as PostgresIT).
 */
class BillsPostgresIT extends BillsContract {

    private final PostgresSchemas schemas = new PostgresSchemas();

    @Override
    StoreConfig newDatabase() {
        return schemas.newDatabase();
    }

    @Override
    void dropDatabases() throws Exception {
        schemas.close();
    }
}
