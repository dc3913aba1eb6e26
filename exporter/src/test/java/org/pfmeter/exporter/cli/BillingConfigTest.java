package org.pfmeter.exporter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pfmeter.accounting.store.AccountingStore;
import org.pfmeter.accounting.store.StoreConfig;

/**
 * {@code billing} and {@code usage} take the daemon's configuration file, and read a database without
 * ever creating, migrating or writing one.
 */
class BillingConfigTest {

    @TempDir
    static Path shared;

    static Path data;

    @TempDir
    Path tmp;

    @BeforeAll
    static void oneSimulatedDay() {
        data = shared.resolve("data");
        CliTest.Result sim = CliTest.run("simulate", "--days", "1", "--poll-interval", "5m", "--data-dir", data.toString());
        assertThat(sim.code()).as(sim.err()).isZero();
    }

    private Path conf(String text) throws IOException {
        return Files.writeString(tmp.resolve("pfmeter.conf"), text);
    }

    private static JsonNode json(CliTest.Result r) throws IOException {
        assertThat(r.code()).as(r.err()).isZero();
        return new ObjectMapper().readTree(r.out());
    }

    private static List<String> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void theDatabaseAndTheBillingSettingsComeFromTheDaemonsFile() throws Exception {
        Path customers = Files.writeString(tmp.resolve("customers.conf"), "ACME Corp = glob:customers/acme:*\n");
        Path file = conf("""
                # the daemon's file, as on the firewall
                listen = 127.0.0.1:10190
                poll.interval = 10s
                data-dir = %s
                accounting.enabled = true
                billing.day = 15
                billing.zone = Europe/Berlin
                billing.customers = %s
                log.level = info
                """.formatted(data, customers));
        JsonNode report = json(CliTest.run("billing", "--config", file.toString(), "--month", "2026-09", "--format", "json"));
        assertThat(report.at("/period/start").asText()).isEqualTo("2026-09-15T00:00+02:00");
        assertThat(report.at("/period/zone").asText()).isEqualTo("Europe/Berlin");
        assertThat(report.toString()).contains("\"customer\":\"ACME Corp\"").contains("acme-web");

        JsonNode usage = json(CliTest.run("usage", "--config", file.toString(), "--month", "2026-09",
                "--customer", "ACME Corp", "--format", "json"));
        assertThat(usage.toString()).contains("2026-10-01");
    }

    @Test
    void optionsGivenOnTheCommandLineWinOverTheFile() throws Exception {
        Path file = conf("""
                data-dir = %s
                billing.day = 15
                billing.zone = Europe/Berlin
                """.formatted(tmp.resolve("not-the-data")));
        JsonNode report = json(CliTest.run("billing", "--config", file.toString(), "--data-dir", data.toString(),
                "--billing-day", "1", "--zone", "UTC", "--month", "2026-10", "--format", "json"));
        assertThat(report.at("/period/start").asText()).isEqualTo("2026-10-01T00:00Z");
        assertThat(report.toString()).contains("acme-web");
        assertThat(tmp.resolve("not-the-data")).doesNotExist();
    }

    @Test
    void theFileIsCheckedAsTheDaemonChecksIt() throws Exception {
        Path file = conf("data-dir = %s\nbiling.day = 15\n".formatted(data));
        CliTest.Result r = CliTest.run("billing", "--config", file.toString(), "--month", "2026-10");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("pfmeter.conf:2").contains("unknown key 'biling.day'").contains("did you mean 'billing.day'");
        assertThat(r.out()).isEmpty();

        CliTest.Result missing = CliTest.run("billing", "--config", tmp.resolve("absent.conf").toString(), "--month", "2026-10");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("cannot read the configuration file").contains("absent.conf");
    }

    @Test
    void aWrongPathIsAnErrorAndCreatesNothing() throws Exception {
        Path absent = tmp.resolve("does-not-exist");
        CliTest.Result r = CliTest.run("billing", "--db", absent.toString(), "--month", "2026-10");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("no pfmeter database at " + absent.resolve("pfmeter.mv.db"))
                .contains("start the daemon first");
        assertThat(r.out()).isEmpty();
        assertThat(absent).doesNotExist();

        Path empty = Files.createDirectory(tmp.resolve("empty"));
        Path file = conf("data-dir = %s\n".formatted(empty));
        for (String[] args : List.of(
                new String[] {"billing", "--data-dir", empty.toString(), "--month", "2026-10"},
                new String[] {"billing", "--config", file.toString(), "--month", "2026-10"},
                new String[] {"usage", "--config", file.toString(), "--month", "2026-10", "--label", "acme-web"})) {
            CliTest.Result e = CliTest.run(args);
            assertThat(e.code()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(e.err()).contains("no pfmeter database at " + empty.resolve("pfmeter.mv.db"));
            assertThat(files(empty)).as("nothing created in the directory").isEmpty();
        }
    }

    @Test
    void readingWritesNothingIntoTheDataDirectory() throws Exception {
        List<String> before = files(data);
        Path db = data.resolve("pfmeter.mv.db");
        FileTime modified = Files.getLastModifiedTime(db);
        long size = Files.size(db);
        json(CliTest.run("billing", "--data-dir", data.toString(), "--month", "2026-10", "--format", "json"));
        assertThat(files(data)).isEqualTo(before).containsExactly("pfmeter.mv.db");
        assertThat(Files.getLastModifiedTime(db)).isEqualTo(modified);
        assertThat(Files.size(db)).isEqualTo(size);
    }

    @Test
    void anOlderSchemaIsRefusedAndNotMigrated() throws Exception {
        Path old = Files.createDirectory(tmp.resolve("old"));
        StoreConfig config = StoreConfig.h2(old);
        Flyway.configure(AccountingStore.class.getClassLoader()).dataSource(config.url(), "", "")
                .locations(AccountingStore.MIGRATIONS).target("2").load().migrate();
        CliTest.Result r = CliTest.run("billing", "--data-dir", old.toString(), "--month", "2026-10");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("has schema v2 and this pfmeter reads v").contains("start the daemon")
                .contains("never migrate");
        assertThat(r.out()).isEmpty();
        try (Connection c = DriverManager.getConnection(config.url(), "", "");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT MAX(\"installed_rank\") FROM \"flyway_schema_history\"")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).as("still two migrations applied").isEqualTo(2);
        }
    }

    @Test
    void aDatabaseWithoutPfmeterTablesIsRefused() throws Exception {
        Path other = Files.createDirectory(tmp.resolve("other"));
        StoreConfig config = StoreConfig.h2(other);
        try (Connection c = DriverManager.getConnection(config.url(), "", ""); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE something_else(x INT)");
        }
        CliTest.Result r = CliTest.run("usage", "--data-dir", other.toString(), "--month", "2026-10", "--label", "x");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("holds no pfmeter tables").contains("start the daemon first");
    }
}
