package org.pfmeter.exporter.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.pfmeter.accounting.store.StoreConfig;
import org.pfmeter.exporter.config.ConfigKey;
import org.pfmeter.exporter.config.PasswordFile;
import picocli.CommandLine.Option;

/**
 * Which accounting database a command reads or fills: the daemon's embedded H2 (its data directory
 * or an explicit database directory) or a JDBC URL (PostgreSQL for a fleet).
 */
final class StoreOptions {

    /** The daemon's default data directory, where the embedded H2 file lives. */
    static final Path DEFAULT_DATA_DIR = Path.of("data");

    @Option(names = "--data-dir", paramLabel = "DIR", description = "the daemon's data directory (the H2 file pfmeter.mv.db is inside; default: ./data, or data-dir of --config where the command has it)")
    Path dataDir;

    @Option(names = "--db", paramLabel = "PATH", description = "the H2 database: its directory, or the pfmeter.mv.db file itself")
    Path db;

    @Option(names = "--jdbc-url", paramLabel = "URL", description = "a JDBC URL instead of H2, e.g. jdbc:postgresql://db.example:5432/pfmeter")
    String jdbcUrl;

    @Option(names = "--jdbc-user", paramLabel = "USER", description = "the database user for --jdbc-url")
    String jdbcUser;

    @Option(names = "--jdbc-password-file", paramLabel = "FILE", description = "a file holding the database password (never on the command line)")
    Path jdbcPasswordFile;

    /** True when the options name a database (--data-dir, --db or --jdbc-url). */
    boolean locationGiven() {
        return dataDir != null || db != null || jdbcUrl != null;
    }

    /** --jdbc-user and --jdbc-password-file as overrides of a configuration file's accounting.jdbc-* keys. */
    void addCredentialsTo(Map<ConfigKey, String> overrides) {
        PfSourceOptions.put(overrides, ConfigKey.ACCOUNTING_JDBC_USER, jdbcUser);
        PfSourceOptions.put(overrides, ConfigKey.ACCOUNTING_JDBC_PASSWORD_FILE, jdbcPasswordFile == null ? null : jdbcPasswordFile.toString());
    }

    StoreConfig config() {
        int given = (dataDir != null ? 1 : 0) + (db != null ? 1 : 0) + (jdbcUrl != null ? 1 : 0);
        if (given > 1) {
            throw new IllegalArgumentException("give one of --data-dir, --db and --jdbc-url, not several");
        }
        if (jdbcUrl != null) {
            String password = null;
            if (jdbcPasswordFile != null) {
                java.util.Optional<String> why = PasswordFile.othersMayAccess(jdbcPasswordFile);
                if (why.isPresent()) {
                    throw new IllegalArgumentException("--jdbc-password-file: " + why.get());
                }
                try {
                    password = PasswordFile.read(jdbcPasswordFile);
                } catch (IOException e) {
                    throw new IllegalArgumentException("--jdbc-password-file: cannot read " + jdbcPasswordFile + ": " + e.getMessage());
                }
            }
            return StoreConfig.jdbc(jdbcUrl, jdbcUser, password);
        }
        if (db != null) {
            String name = db.getFileName() == null ? "" : db.getFileName().toString();
            if (name.endsWith(".mv.db")) {
                if (!name.equals(StoreConfig.H2_FILE_NAME + ".mv.db")) {
                    throw new IllegalArgumentException("--db " + db + ": pfmeter's H2 file is called "
                            + StoreConfig.H2_FILE_NAME + ".mv.db; give its directory or that file");
                }
                return StoreConfig.h2(db.toAbsolutePath().getParent());
            }
            return StoreConfig.h2(db);
        }
        return StoreConfig.h2(dataDir != null ? dataDir : DEFAULT_DATA_DIR);
    }
}
