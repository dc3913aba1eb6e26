package org.pfmeter.accounting.store;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.pfmeter.accounting.testing.PostgresDatabase;
import org.pfmeter.accounting.testing.PostgresSchemaPerTest;

/**
 * {@link SqlUsageSourceTest} on PostgreSQL: the same buckets from sealed days, tail and journal, and
 * REPEATABLE READ keeps a bucket closed during a read out of it. Needs the test server (see
 * {@link PostgresDatabase}); {@code -Dpfmeter.pg.skip=true} skips it.
 */
class SqlUsageSourcePostgresTest extends SqlUsageSourceTest {

    @RegisterExtension
    final PostgresSchemaPerTest schema = new PostgresSchemaPerTest();

    @Override
    StoreConfig config() {
        return schema.config();
    }
}
