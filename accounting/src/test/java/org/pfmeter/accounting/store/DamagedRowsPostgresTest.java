package org.pfmeter.accounting.store;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.pfmeter.accounting.testing.PostgresDatabase;
import org.pfmeter.accounting.testing.PostgresSchemaPerTest;

/**
 * {@link DamagedRowsTest} on PostgreSQL: the same checksums, fallback, refusals and repairs. Needs
 * the test server (see {@link PostgresDatabase}); {@code -Dpfmeter.pg.skip=true} skips it.
 */
class DamagedRowsPostgresTest extends DamagedRowsTest {

    @RegisterExtension
    final PostgresSchemaPerTest schema = new PostgresSchemaPerTest();

    /** A schema of its own, filled by the simulation. */
    @Override
    StoreConfig filled() {
        StoreConfig db = schema.config();
        org.pfmeter.accounting.simulate.MonthSimulation.run(db, plan());
        return db;
    }
}
