package org.pfmeter.accounting.store;

import org.pfmeter.accounting.testing.PostgresSchemas;

/**
 * {@link MigrationV10Contract} on PostgreSQL: a schema of its own per database (PFMETER_TEST_PG_URL;
 * fails without it unless -Dpfmeter.pg.skip=true, as {@link PostgresIT}).
 */
class MigrationV10PostgresIT extends MigrationV10Contract {

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
