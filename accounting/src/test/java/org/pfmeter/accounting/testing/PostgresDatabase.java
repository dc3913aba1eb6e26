package org.pfmeter.accounting.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.pfmeter.accounting.store.StoreConfig;

/**
 * A fresh schema in the real PostgreSQL the integration tests run against, dropped by {@link #close()}.
 *
 * <p>The server comes from {@code PFMETER_TEST_PG_URL} (e.g. {@code jdbc:postgresql://127.0.0.1:5432/pfmeter_test}),
 * {@code PFMETER_TEST_PG_USER} and {@code PFMETER_TEST_PG_PASSWORD}. Without the URL the tests FAIL, unless
 * {@code -Dpfmeter.pg.skip=true} is given: PostgreSQL support is never skipped silently.
 */
public final class PostgresDatabase implements AutoCloseable {

    public static final String URL_VARIABLE = "PFMETER_TEST_PG_URL";

    private final String url;
    private final String user;
    private final String password;
    private final String schema;

    private PostgresDatabase(String url, String user, String password, String schema) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.schema = schema;
    }

    public static PostgresDatabase create() {
        String url = System.getenv(URL_VARIABLE);
        if (url == null || url.isBlank()) {
            if (Boolean.getBoolean("pfmeter.pg.skip")) {
                Assumptions.abort("PostgreSQL tests skipped on request (-Dpfmeter.pg.skip=true)");
            }
            fail(URL_VARIABLE + " is not set: the PostgreSQL integration tests need a server, e.g."
                    + " PFMETER_TEST_PG_URL=jdbc:postgresql://127.0.0.1:5432/pfmeter_test PFMETER_TEST_PG_USER=pfmeter"
                    + " PFMETER_TEST_PG_PASSWORD=pfmeter (see accounting/README.md, \"Tests against PostgreSQL\"),"
                    + " or skip them explicitly with"
                    + " -Dpfmeter.pg.skip=true");
        }
        String user = System.getenv().getOrDefault("PFMETER_TEST_PG_USER", "");
        String password = System.getenv().getOrDefault("PFMETER_TEST_PG_PASSWORD", "");
        String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            fail("cannot prepare a schema on " + url + " as '" + user + "': " + e.getMessage(), e);
        }
        return new PostgresDatabase(url, user, password, schema);
    }

    /** The store config for this schema (the JDBC URL with {@code currentSchema}). */
    public StoreConfig config() {
        return StoreConfig.jdbc(url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema, user, password);
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(config().url(), user, password);
    }

    @Override
    public void close() throws SQLException {
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA " + schema + " CASCADE");
        }
    }
}
