package org.pfmeter.accounting.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Flyway release pfmeter ships supports the H2 release it ships: opening a database logs no
 * "Flyway upgrade recommended: H2 x is newer than this version of Flyway" warning (Flyway 10.20.1
 * with H2 2.3.232 logged it on every open, so a monthly billing cron job mailed it every month).
 * Bumping H2 past what Flyway knows fails here.
 *
 * <p>Without SLF4J on the classpath (accounting's tests), Flyway logs through java.util.logging,
 * where a handler on the "org.flywaydb" logger sees every line it writes.
 */
class FlywayLogTest {

    @TempDir
    Path dir;

    private final List<LogRecord> records = new ArrayList<>();
    private final Logger flywayLogger = Logger.getLogger("org.flywaydb");
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            synchronized (records) {
                records.add(r);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private Level oldLevel;

    @BeforeEach
    void listen() {
        oldLevel = flywayLogger.getLevel();
        flywayLogger.setLevel(Level.ALL);
        flywayLogger.addHandler(capture);
    }

    @AfterEach
    void stopListening() {
        flywayLogger.removeHandler(capture);
        flywayLogger.setLevel(oldLevel);
    }

    @Test
    void migrating_a_new_h2_database_logs_no_upgrade_recommendation() {
        try (AccountingStore store = AccountingStore.open(StoreConfig.h2(dir))) {
            assertThat(store.schemaVersion()).isEqualTo("10");
        }
        try (AccountingStore again = AccountingStore.open(StoreConfig.h2(dir))) {
            assertThat(again.schemaVersion()).isEqualTo("10");
        }

        List<String> lines = lines();
        // the handler saw Flyway's lines, so an absent warning means Flyway did not write it
        assertThat(lines).anyMatch(l -> l.contains("Successfully applied 10 migrations"));
        assertThat(lines).anyMatch(l -> l.contains("Schema \"PUBLIC\" is up to date"));
        assertThat(lines).noneMatch(l -> l.toLowerCase().contains("upgrade recommended"))
                .noneMatch(l -> l.contains("newer than this version of Flyway"))
                .noneMatch(l -> l.contains("not been tested"));
        assertThat(records).noneMatch(r -> r.getLevel().intValue() >= Level.WARNING.intValue());
    }

    private List<String> lines() {
        synchronized (records) {
            return records.stream().map(r -> r.getLevel() + " " + r.getLoggerName() + " " + r.getMessage()).toList();
        }
    }
}
