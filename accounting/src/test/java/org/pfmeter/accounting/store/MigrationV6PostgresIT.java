package org.pfmeter.accounting.store;

import java.util.ArrayList;
import java.util.List;
import org.pfmeter.accounting.testing.PostgresDatabase;

/**
 * {@link MigrationV6Contract} on PostgreSQL: a schema of its own per database (PFMETER_TEST_PG_URL;
 * fails without it unless -Dpfmeter.pg.skip=true, as {@link PostgresIT}).
 */
class MigrationV6PostgresIT extends MigrationV6Contract {

    private final List<PostgresDatabase> schemas = new ArrayList<>();

    @Override
    StoreConfig newDatabase() {
        PostgresDatabase pg = PostgresDatabase.create();
        schemas.add(pg);
        return pg.config();
    }

    @Override
    void dropDatabases() throws Exception {
        for (PostgresDatabase pg : schemas) {
            pg.close();
        }
    }
}
