package org.pfmeter.accounting.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.pfmeter.accounting.store.AccountingStore;
import org.pfmeter.accounting.store.StoreConfig;

/**
 * What upgrading a schema v4 database to v5 costs: a synthetic v4 database (one host, {@code
 * --labels} labels with a 5-minute row in every slot of {@code --days} days from 2026-10-01, no
 * hourly, daily or sealed rows) is made with Flyway up to V4 and filled by SQL, compacted (H2), and
 * then {@link AccountingStore#open} migrates it to v5 as a daemon's first start would. Prints the
 * time and, for H2, the file's size before, right after the migration, and compacted. Not a JMH
 * benchmark: one migration is one measurement. H2 in a temporary directory, or with
 * {@code --postgresql} the schema {@code pfmeter_migration_bench} (dropped and made again) of
 * PFMETER_BENCH_PG_URL, _USER, _PASSWORD.
 *
 * <pre>
 * java -cp exporter/target/pfmeter-benchmarks.jar org.pfmeter.accounting.bench.MigrationV5Cost \
 *     [--labels 100] [--days 31] [--postgresql]
 * </pre>
 */
public final class MigrationV5Cost {

    private static final String SCHEMA = "pfmeter_migration_bench";

    private MigrationV5Cost() {
    }

    public static void main(String[] args) throws IOException, SQLException {
        int labels = 100;
        int days = 31;
        boolean pg = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--labels" -> labels = Integer.parseInt(args[++i]);
                case "--days" -> days = Integer.parseInt(args[++i]);
                case "--postgresql" -> pg = true;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path dir = pg ? null : Files.createTempDirectory("pfmeter-migration");
        StoreConfig config = pg ? postgresql() : StoreConfig.h2(dir);
        Path file = pg ? null : dir.resolve(StoreConfig.H2_FILE_NAME + ".mv.db");
        Flyway.configure(AccountingStore.class.getClassLoader())
                .dataSource(config.url(), config.user(), config.password())
                .locations(AccountingStore.MIGRATIONS).target("4").load().migrate();
        long t = System.nanoTime();
        fillV4(config, labels, days, pg);
        System.out.printf(Locale.ROOT, "v4: %d labels x %d days = %,d usage_5m rows, filled in %.1f s%n", labels, days,
                (long) labels * days * 288, (System.nanoTime() - t) / 1e9);
        if (!pg) {
            shutdownCompact(config);
            System.out.printf(Locale.ROOT, "v4 file, compacted: %.1f MB%n", Files.size(file) / 1e6);
        }
        t = System.nanoTime();
        try (AccountingStore store = AccountingStore.open(config)) {
            System.out.printf(Locale.ROOT, "AccountingStore.open (V5): %.1f s, now schema v%s; load average %s%n",
                    (System.nanoTime() - t) / 1e9, store.schemaVersion(), Files.readString(Path.of("/proc/loadavg")).strip());
        }
        if (!pg) {
            System.out.printf(Locale.ROOT, "H2 file after V5: %.1f MB%n", Files.size(file) / 1e6);
            shutdownCompact(config);
            System.out.printf(Locale.ROOT, "v5 file, compacted: %.1f MB%n", Files.size(file) / 1e6);
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static StoreConfig postgresql() throws SQLException {
        String url = System.getenv("PFMETER_BENCH_PG_URL");
        if (url == null || url.isBlank()) {
            throw new IllegalStateException("set PFMETER_BENCH_PG_URL (and _USER, _PASSWORD) to measure PostgreSQL");
        }
        String user = System.getenv().getOrDefault("PFMETER_BENCH_PG_USER", "");
        String password = System.getenv().getOrDefault("PFMETER_BENCH_PG_PASSWORD", "");
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            s.execute("CREATE SCHEMA " + SCHEMA);
        }
        return StoreConfig.jdbc(url + (url.contains("?") ? "&" : "?") + "currentSchema=" + SCHEMA, user, password);
    }

    /** A v4 ledger's tables as the ledger left them, one hour of rows per transaction. */
    private static void fillV4(StoreConfig config, int labels, int days, boolean pg) throws SQLException {
        String labelRange = pg ? "generate_series(1, " + labels + ") l(x)" : "SYSTEM_RANGE(1, " + labels + ") l(x)";
        String slotRange = pg ? "generate_series(0, 11) t(y)" : "SYSTEM_RANGE(0, 11) t(y)";
        try (Connection c = DriverManager.getConnection(config.url(), config.user(), config.password());
             Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("INSERT INTO pf_host VALUES ('fw1', TIMESTAMP WITH TIME ZONE '2026-10-01 00:00:00+00',"
                    + " TIMESTAMP WITH TIME ZONE '2026-10-01 00:00:00+00', 'c0ffee', 1, NULL)");
            s.execute("INSERT INTO label_counters SELECT 'fw1', 'customers/acme', 'label-' || l.x,"
                    + " TIMESTAMP WITH TIME ZONE '2026-10-01 00:00:00+00', 1, 1000, 1000, 1000, 1000000, 1000000, 10 FROM " + labelRange);
            for (int h = 0; h < days * 24; h++) {
                String minutes = h * 60 + " + t.y * 5";
                String slot = pg ? "TIMESTAMP WITH TIME ZONE '2026-10-01 00:00:00+00' + make_interval(mins => " + minutes + ")"
                        : "DATEADD(MINUTE, " + minutes + ", TIMESTAMP WITH TIME ZONE '2026-10-01 00:00:00+00')";
                s.execute("INSERT INTO usage_5m SELECT 'fw1', 'customers/acme', 'label-' || l.x, " + slot
                        + ", 100 + l.x, 50 + t.y, 100000 + l.x * t.y, 50000 + l.x, 150, 1, 1, 1, 0 FROM " + labelRange + ", " + slotRange);
                s.execute("INSERT INTO host_poll_slot SELECT 'fw1', " + slot + " FROM " + slotRange);
                c.commit();
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE pf_host SET last_polled_at = ?")) {
                ps.setObject(1, OffsetDateTime.of(2026, 10, 1, 0, 0, 0, 0, ZoneOffset.UTC).plusDays(days));
                ps.executeUpdate();
            }
            c.commit();
        }
    }

    private static void shutdownCompact(StoreConfig config) throws SQLException {
        try (Connection c = DriverManager.getConnection(config.url()); Statement s = c.createStatement()) {
            s.execute("SHUTDOWN COMPACT");
        }
    }
}
