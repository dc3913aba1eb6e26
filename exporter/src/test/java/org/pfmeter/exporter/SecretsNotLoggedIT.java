package org.pfmeter.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pfmeter.exporter.http.Credentials;

/**
 * The shaded jar as an operator runs it, with every kind of secret configured (remote JMX
 * passwords, the database password, the HTTPS and JMX key store password, billing users) and
 * debug logging: neither {@code --check-config}, nor a refused configuration, nor a running daemon
 * that serves billing to right and wrong passwords and shuts down writes any secret.
 */
class SecretsNotLoggedIT {

    @TempDir
    Path dir;

    static final String JMX_PASSWORD = "jmxS3cretPassw0rd";
    static final String DB_PASSWORD = "dbS3cretPassw0rd";
    static final String KS_PASSWORD = "ksS3cretPassw0rd";
    static final String BILLING_PASSWORD = "billingS3cretPassw0rd";
    static final String WRONG_PASSWORD = "wrongS3cretGuess";

    private PfmeterJar.Run pfmeter(String... args) throws IOException, InterruptedException {
        return PfmeterJar.run(dir, args);
    }

    @Test
    void noSecretIsEverWrittenToTheLogOrTheConfigurationCheck() throws Exception {
        Path ks = Keystores.generate(dir.resolve("pfmeter.p12"), KS_PASSWORD);
        Path ksPassword = Keystores.secret(dir.resolve("ks.password"), KS_PASSWORD + "\n");
        Path jmxPassword = Keystores.secret(dir.resolve("jmxremote.password"), "monitor " + JMX_PASSWORD + "\n");
        Path dbPassword = Keystores.secret(dir.resolve("db.password"), DB_PASSWORD + "\n");
        String userLine = Credentials.line("alice", BILLING_PASSWORD.toCharArray());
        Path users = Keystores.secret(dir.resolve("billing.users"), userLine + "\n");
        String[] hashFields = userLine.split(":");
        Path conf = Files.writeString(dir.resolve("pfmeter.conf"), """
                simulate = true
                listen = 127.0.0.1:0
                data-dir = %s
                log.level = debug
                jmx.remote.port = 0
                jmx.remote.password-file = %s
                jmx.remote.tls.keystore = %s
                jmx.remote.tls.keystore-password-file = %s
                accounting.jdbc-url = jdbc:h2:file:%s;DB_CLOSE_ON_EXIT=FALSE
                accounting.jdbc-user = pfmeter
                accounting.jdbc-password-file = %s
                http.billing-credentials = %s
                http.tls.keystore = %s
                http.tls.keystore-password-file = %s
                """.formatted(dir.resolve("data"), jmxPassword, ks, ksPassword, dir.resolve("acct"), dbPassword, users, ks, ksPassword));
        List<String> secrets = List.of(JMX_PASSWORD, DB_PASSWORD, KS_PASSWORD, BILLING_PASSWORD, WRONG_PASSWORD,
                hashFields[3], hashFields[4], base64("alice:" + BILLING_PASSWORD), base64("alice:" + WRONG_PASSWORD));

        PfmeterJar.Run check = pfmeter("run", "--config", conf.toString(), "--check-config");
        assertThat(check.code()).as(check.err()).isZero();
        assertThat(check.out()).contains("configuration OK", "HTTPS", "billing endpoint");
        assertNoSecret("--check-config", check.out() + check.err(), secrets);

        // refused configurations name files, never what is in them
        Path wrongKs = Keystores.secret(dir.resolve("wrong.password"), WRONG_PASSWORD + "\n");
        PfmeterJar.Run refused = pfmeter("run", "--config", conf.toString(), "--check-config", "--jmx-keystore-password-file", wrongKs.toString());
        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.err()).contains("jmx.remote.tls.keystore-password-file", "is not the password of");
        assertNoSecret("a refused configuration", refused.out() + refused.err(), secrets);
        Path readable = Files.writeString(dir.resolve("readable.password"), DB_PASSWORD + "\n");
        PfmeterJar.Run open = pfmeter("run", "--config", conf.toString(), "--check-config", "--jmx-password-file", readable.toString());
        assertThat(open.err()).contains("may be read or written by others");
        assertNoSecret("a refused configuration", open.out() + open.err(), secrets);

        List<String> cmd = PfmeterJar.command(List.of());
        cmd.addAll(List.of("run", "--config", conf.toString()));
        Path out = dir.resolve("daemon.out");
        Path err = dir.resolve("daemon.err");
        Process daemon = new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            int port = DaemonProcess.awaitServingPort(daemon, err, "https://127.0.0.1", Duration.ofMinutes(2));
            HttpClient https = HttpClient.newBuilder().sslContext(Keystores.trusting(ks, KS_PASSWORD))
                    .connectTimeout(Duration.ofSeconds(5)).build();
            String base = "https://127.0.0.1:" + port;
            // a month before the ledger's first poll is refused (404), so bill the month it polls in
            DaemonProcess.awaitWrittenPolls(daemon, https, base, 0);
            String month = "month=" + YearMonth.now(ZoneOffset.UTC);
            assertThat(https.send(HttpRequest.newBuilder(URI.create(base + "/billing?" + month))
                    .header("Authorization", "Basic " + base64("alice:" + BILLING_PASSWORD)).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            assertThat(https.send(HttpRequest.newBuilder(URI.create(base + "/billing?" + month))
                    .header("Authorization", "Basic " + base64("alice:" + WRONG_PASSWORD)).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
            assertThat(https.send(HttpRequest.newBuilder(URI.create(base + "/billing?month=13"))
                    .header("Authorization", "Basic " + base64("alice:" + BILLING_PASSWORD)).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(400);
            assertThat(https.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        } finally {
            daemon.destroy();
            assertThat(daemon.waitFor(1, TimeUnit.MINUTES)).isTrue();
        }
        String log = Files.readString(out) + Files.readString(err);
        assertThat(log).contains("DEBUG").contains("remote JMX at").contains("stopped");
        assertNoSecret("the daemon's log", log, secrets);
    }


    private static String base64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertNoSecret(String where, String text, List<String> secrets) {
        for (String s : secrets) {
            assertThat(text).as("%s contains a secret", where).doesNotContain(s);
        }
    }
}
