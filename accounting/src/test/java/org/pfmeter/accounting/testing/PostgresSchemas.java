package org.pfmeter.accounting.testing;

import java.util.ArrayList;
import java.util.List;
import org.pfmeter.accounting.store.StoreConfig;

/** The PostgreSQL schemas a test made, one per database it asked for, all dropped at the end. */
public final class PostgresSchemas implements AutoCloseable {

    private final List<PostgresDatabase> schemas = new ArrayList<>();

    /** A new schema of its own (PFMETER_TEST_PG_URL), as {@link PostgresDatabase#create()}. */
    public StoreConfig newDatabase() {
        PostgresDatabase pg = PostgresDatabase.create();
        schemas.add(pg);
        return pg.config();
    }

    @Override
    public void close() throws Exception {
        for (PostgresDatabase pg : schemas) {
            pg.close();
        }
    }
}
