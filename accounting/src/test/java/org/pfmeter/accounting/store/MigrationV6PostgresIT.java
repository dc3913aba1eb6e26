package org.pfmeter.accounting.store;

import org.pfmeter.accounting.testing.PostgresSchemas;

/**
 * {@link MigrationV6Contract} on PostgreSQL: a schema of its own per database (PFMETER_TEST_PG_URL;
 * fails without it unless -Dpfmeter.pg.skip=true, as {@link PostgresIT}).
 */
class MigrationV6PostgresIT extends MigrationV6Contract {

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
