package org.pfmeter.exporter.accounting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pfmeter.accounting.store.BucketRows;
import org.pfmeter.exporter.Exposition;
import org.pfmeter.exporter.TestDaemon;

/**
 * PostgreSQL down when the daemon starts (issue 19): the daemon starts anyway, /metrics serves pf's
 * metrics and the ledger backlog grows; when the server answers (here: a TCP proxy to the real one
 * opens on the port the daemon was given) the backlog drains, and the database holds exactly what a
 * daemon that found it up from the start wrote for the same polls.
 */
class PostgresDownAtStartIT {

    static final int POLLS_WHILE_DOWN = 7;
    static final int POLLS_AFTER = 5;

    @TempDir
    Path dir;

    private String url;
    private String user;
    private String password;
    private final List<String> schemas = new ArrayList<>();
    private Proxy proxy;

    @BeforeEach
    void database() {
        url = System.getenv("PFMETER_TEST_PG_URL");
        if (url == null || url.isBlank()) {
            if (Boolean.getBoolean("pfmeter.pg.skip")) {
                Assumptions.abort("PostgreSQL tests skipped on request (-Dpfmeter.pg.skip=true)");
            }
            fail("PFMETER_TEST_PG_URL is not set, e.g. PFMETER_TEST_PG_URL=jdbc:postgresql://127.0.0.1:5432/pfmeter_test"
                    + " PFMETER_TEST_PG_USER=pfmeter PFMETER_TEST_PG_PASSWORD=pfmeter, or -Dpfmeter.pg.skip=true");
        }
        user = System.getenv().getOrDefault("PFMETER_TEST_PG_USER", "");
        password = System.getenv().getOrDefault("PFMETER_TEST_PG_PASSWORD", "");
    }

    @AfterEach
    void drop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            for (String schema : schemas) {
                s.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }

    @Test
    void theDaemonStartsServesMetricsAndBacklogsUntilPostgresqlAnswersThenWritesWhatItWouldHave() throws Exception {
        Path passwordFile = org.pfmeter.exporter.Keystores.secret(dir.resolve("pg.password"), password + "\n");
        Matcher m = Pattern.compile("jdbc:postgresql://([^:/]+):(\\d+)(/.*)").matcher(url);
        assertThat(m.matches()).as("PFMETER_TEST_PG_URL with host and port: %s", url).isTrue();
        String pgHost = m.group(1);
        int pgPort = Integer.parseInt(m.group(2));

        // the reference: PostgreSQL up all along
        String up = newSchema();
        List<BucketRows.Row> expected;
        try (TestDaemon d = TestDaemon.start(Files.createDirectories(dir.resolve("up")), config(schemaUrl(url, up), passwordFile))) {
            poll(d, POLLS_WHILE_DOWN + POLLS_AFTER);
            assertThat(d.scrape().value("pfmeter_ledger_written_polls_total")).contains((double) POLLS_WHILE_DOWN + POLLS_AFTER);
            expected = rows(up);
        }
        assertThat(expected).isNotEmpty();

        // down at start: nothing listens on the port the daemon is given
        int port = freePort();
        String down = newSchema();
        String proxied = "jdbc:postgresql://127.0.0.1:" + port + m.group(3);
        try (TestDaemon d = TestDaemon.start(Files.createDirectories(dir.resolve("down")), config(schemaUrl(proxied, down), passwordFile))) {
            assertThat(d.daemon.accounting()).isPresent();
            for (int i = 1; i <= POLLS_WHILE_DOWN; i++) {
                poll(d, 1);
                Exposition e = d.scrape();
                assertThat(e.value("pf_up")).contains(1.0);
                assertThat(e.samples("pf_label_bytes_total")).isNotEmpty();
                assertThat(e.value("pfmeter_ledger_backlog_polls")).as("backlog after %d polls", i).contains((double) i);
                assertThat(e.value("pfmeter_ledger_written_polls_total")).contains(0.0);
            }
            Exposition e = d.scrape();
            assertThat(e.value("pfmeter_ledger_write_errors_total")).hasValueSatisfying(v -> assertThat(v).isPositive());
            assertThat(e.value("pfmeter_ledger_database_error", "kind", "unreachable")).contains(1.0);
            assertThat(d.get("/-/ready").statusCode()).isEqualTo(200);

            proxy = new Proxy(port, pgHost, pgPort);
            poll(d, POLLS_AFTER);
            e = d.scrape();
            assertThat(e.value("pfmeter_ledger_backlog_polls")).contains(0.0);
            assertThat(e.value("pfmeter_ledger_written_polls_total")).contains((double) POLLS_WHILE_DOWN + POLLS_AFTER);
            assertThat(e.value("pfmeter_ledger_dropped_polls_total")).contains(0.0);
            assertThat(e.value("pfmeter_ledger_database_error", "kind", "unreachable")).contains(0.0);
        }
        assertThat(rows(down)).as("the ledger of the daemon that found PostgreSQL down at start").isEqualTo(expected);
    }

    private static void poll(TestDaemon d, int n) {
        for (int i = 0; i < n; i++) {
            d.daemon.poller().pollOnce();
            d.clock.advance(Duration.ofSeconds(70));
        }
    }

    private String config(String jdbcUrl, Path passwordFile) {
        return """
                accounting.host = fw1
                accounting.jdbc-url = %s
                accounting.jdbc-user = %s
                accounting.jdbc-password-file = %s
                """.formatted(jdbcUrl, user, passwordFile);
    }

    private String newSchema() throws Exception {
        String schema = "pgdown_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        schemas.add(schema);
        return schema;
    }

    private static String schemaUrl(String base, String schema) {
        return base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    private List<BucketRows.Row> rows(String schema) throws Exception {
        try (Connection c = DriverManager.getConnection(schemaUrl(url, schema), user, password)) {
            return BucketRows.read(c, Optional.empty(), Instant.EPOCH, Instant.parse("9999-01-01T00:00:00Z"));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** A TCP proxy from a loopback port to the real server: PostgreSQL "comes up" when it opens. */
    static final class Proxy implements AutoCloseable {
        private final ServerSocket server;
        private final List<Socket> sockets = new ArrayList<>();

        Proxy(int port, String host, int targetPort) throws IOException {
            server = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
            Thread accept = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket in = server.accept();
                        Socket out = new Socket(host, targetPort);
                        synchronized (sockets) {
                            sockets.add(in);
                            sockets.add(out);
                        }
                        pump(in, out);
                        pump(out, in);
                    } catch (IOException e) {
                        // closed
                    }
                }
            }, "pg-proxy");
            accept.setDaemon(true);
            accept.start();
        }

        private static void pump(Socket from, Socket to) {
            Thread t = new Thread(() -> {
                try (InputStream i = from.getInputStream(); OutputStream o = to.getOutputStream()) {
                    i.transferTo(o);
                } catch (IOException e) {
                    // one side closed
                } finally {
                    try {
                        from.close();
                        to.close();
                    } catch (IOException ignored) {
                        // closing
                    }
                }
            }, "pg-proxy-pump");
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void close() throws IOException {
            server.close();
            synchronized (sockets) {
                for (Socket s : sockets) {
                    s.close();
                }
            }
        }
    }
}
