package org.pfmeter.accounting.store;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.pfmeter.accounting.testing.PostgresDatabase;
import org.pfmeter.accounting.testing.PostgresSchemaPerTest;

/**
 * {@link SealedRowRetentionTest} on PostgreSQL, where a fleet's hosts share the tables. Needs the
 * test server (see {@link PostgresDatabase}); {@code -Dpfmeter.pg.skip=true} skips it.
 */
class SealedRowRetentionPostgresTest extends SealedRowRetentionTest {

    @RegisterExtension
    final PostgresSchemaPerTest schema = new PostgresSchemaPerTest();

    @Override
    StoreConfig config() {
        return schema.config();
    }
}
