package org.pfmeter.accounting.bills;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.pfmeter.accounting.store.StoreConfig;

/** {@link BillsContract} on an embedded H2 file. */
class BillsH2Test extends BillsContract {

    @TempDir
    Path dir;

    @Override
    StoreConfig newDatabase() {
        return StoreConfig.h2(dir);
    }

    @Override
    void dropDatabases() {
        // the temporary directory goes with the test
    }
}
