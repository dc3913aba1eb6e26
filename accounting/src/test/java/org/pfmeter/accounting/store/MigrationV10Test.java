package org.pfmeter.accounting.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** {@link MigrationV10Contract} on embedded H2 files. */
class MigrationV10Test extends MigrationV10Contract {

    @TempDir
    Path dir;

    private int databases;

    @Override
    StoreConfig newDatabase() {
        return StoreConfig.h2(dir.resolve("db" + ++databases));
    }

    @Override
    void dropDatabases() {
        // the temporary directory goes with the test
    }
}
