package org.pfmeter.exporter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pfmeter verify}'s exit codes short of a damaged database (DamagedDatabaseIT has those): 0
 * for a clean one, 2 for bad usage or no database, which it never creates.
 */
class VerifyCommandTest {

    @TempDir
    Path tmp;

    @Test
    void aCleanDatabaseVerifiesWithExit0AndASummary() throws Exception {
        Path data = tmp.resolve("data");
        CliTest.Result sim = CliTest.run("simulate", "--days", "1", "--poll-interval", "10m", "--data-dir", data.toString());
        assertThat(sim.code()).as(sim.err()).isZero();
        CliTest.Result r = CliTest.run("verify", "--data-dir", data.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("H2 ").contains("pfmeter.mv.db (schema v").containsPattern(": \\d+ sealed days \\(0 written before checksums")
                .endsWith(": clean\n");
        assertThat(r.err()).isEmpty();
        CliTest.Result repair = CliTest.run("verify", "--repair", "--db", data.resolve("pfmeter.mv.db").toString());
        assertThat(repair.code()).as(repair.err()).isZero();
        assertThat(repair.out()).endsWith(": clean\n");
        // the database of the daemon's file
        Path conf = Files.writeString(tmp.resolve("pfmeter.conf"), "data-dir = " + data + "\naccounting.enabled = true\n");
        CliTest.Result config = CliTest.run("verify", "--config", conf.toString());
        assertThat(config.code()).as(config.err()).isZero();
        assertThat(config.out()).isEqualTo(r.out());
        Path bad = Files.writeString(tmp.resolve("bad.conf"), "data-dir = " + data + "\nno.such.key = 1\n");
        CliTest.Result refused = CliTest.run("verify", "--config", bad.toString());
        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.err()).startsWith("pfmeter verify: configuration refused:").contains("bad.conf:2");
    }

    @Test
    void noDatabaseOrTwoLocationsAreUsageErrorsAndCreateNothing() throws Exception {
        Path none = tmp.resolve("none");
        CliTest.Result missing = CliTest.run("verify", "--data-dir", none.toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).startsWith("pfmeter verify: no pfmeter database at ");
        CliTest.Result repair = CliTest.run("verify", "--repair", "--data-dir", none.toString());
        assertThat(repair.code()).isEqualTo(2);
        assertThat(Files.exists(none)).as("verify --repair never creates a database").isFalse();
        CliTest.Result two = CliTest.run("verify", "--data-dir", none.toString(), "--db", none.toString());
        assertThat(two.code()).isEqualTo(2);
        assertThat(two.err()).contains("give one of --data-dir, --db and --jdbc-url");
    }
}
