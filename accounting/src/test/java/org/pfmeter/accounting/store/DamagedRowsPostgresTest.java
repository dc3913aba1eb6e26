package org.pfmeter.accounting.store;

import org.junit.jupiter.api.AfterEach;
import org.pfmeter.accounting.testing.PostgresDatabase;

/**
 * {@link DamagedRowsTest} on PostgreSQL: the same checksums, fallback, refusals and repairs. Needs
 * the test server (see {@link PostgresDatabase}); {@code -Dpfmeter.pg.skip=true} skips it.
 */
class DamagedRowsPostgresTest extends DamagedRowsTest {

    private PostgresDatabase pg;

    /** A schema of its own, filled by the simulation. */
    @Override
    StoreConfig filled() {
        pg = PostgresDatabase.create();
        org.pfmeter.accounting.simulate.MonthSimulation.run(pg.config(), plan());
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
