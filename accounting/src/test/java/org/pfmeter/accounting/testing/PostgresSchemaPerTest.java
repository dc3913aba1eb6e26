package org.pfmeter.accounting.testing;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.pfmeter.accounting.store.StoreConfig;

/**
 * The one PostgreSQL schema of a test ({@link PostgresDatabase}), for a test class that runs an H2 test
 * class's tests on PostgreSQL: made when the test first asks for its {@link #config()}, dropped after
 * the test's own {@code @AfterEach} methods (so after they closed the store on it). Register it with
 * {@code @RegisterExtension}.
 */
public final class PostgresSchemaPerTest implements AfterEachCallback {

    private PostgresDatabase pg;

    /** The store config of this test's schema, made at the first call. */
    public StoreConfig config() {
        if (pg == null) {
            pg = PostgresDatabase.create();
        }
        return pg.config();
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        if (pg != null) {
            PostgresDatabase made = pg;
            pg = null;
            made.close();
        }
    }
}
