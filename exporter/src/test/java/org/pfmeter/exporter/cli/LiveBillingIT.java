package org.pfmeter.exporter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pfmeter.exporter.DaemonProcess;
import org.pfmeter.exporter.PfmeterJar;

/**
 * Billing on a live firewall: while the daemon (the shaded jar, its own JVM) polls and writes its
 * embedded H2 file, {@code pfmeter billing --config} in another JVM reads the month, without any
 * set-up, and the daemon's ledger keeps writing. The daemon serves its database on loopback only
 * and announces it to its own user; after it stops, billing opens the file read-only.
 */
class LiveBillingIT {

    @TempDir
    Path dir;

    private PfmeterJar.Run pfmeter(String... args) throws IOException, InterruptedException {
        return PfmeterJar.run(dir, args);
    }

    /** Each line's name and byte counts (the projection columns move with the clock). */
    private static List<String> volumes(String csv) {
        return csv.lines().map(l -> String.join(",", List.of(l.split(",")).subList(0, 11))).toList();
    }

    private static List<String> files(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** An address of this host that is not loopback, if it has one. */
    private static Optional<InetAddress> outside() throws IOException {
        for (NetworkInterface n : NetworkInterface.networkInterfaces().toList()) {
            for (InetAddress a : n.inetAddresses().toList()) {
                if (n.isUp() && !a.isLoopbackAddress() && a instanceof Inet4Address) {
                    return Optional.of(a);
                }
            }
        }
        return Optional.empty();
    }

    @Test
    void billingReadsTheMonthWhileTheDaemonWritesIt() throws Exception {
        Path data = dir.resolve("data");
        Path conf = Files.writeString(dir.resolve("pfmeter.conf"), """
                simulate = true
                listen = 127.0.0.1:0
                poll.interval = 1s
                data-dir = %s
                billing.day = 1
                billing.zone = UTC
                """.formatted(data));
        String month = YearMonth.now(ZoneOffset.UTC).toString();
        List<String> cmd = PfmeterJar.command(List.of());
        cmd.addAll(List.of("run", "--config", conf.toString()));
        Path log = dir.resolve("daemon.err");
        Process daemon = new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(dir.resolve("daemon.out").toFile())
                .redirectError(log.toFile()).start();
        String announced;
        try {
            String base = "http://127.0.0.1:" + DaemonProcess.awaitServingPort(daemon, log, "http://127.0.0.1", Duration.ofMinutes(2));
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            double before = DaemonProcess.awaitWrittenPolls(daemon, http, base, 0);

            Path server = data.resolve("pfmeter.server");
            assertThat(Files.getPosixFilePermissions(server)).as("only the daemon's user reads the key")
                    .isEqualTo(PosixFilePermissions.fromString("rw-------"));
            announced = Files.readString(server);
            int port = Integer.parseInt(announced.replaceAll("(?s)^port=(\\d+)\\n.*", "$1"));
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
            }
            Optional<InetAddress> outside = outside();
            if (outside.isPresent()) {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(outside.get(), port), 5000);
                    throw new AssertionError("the database server answers on " + outside.get() + ":" + port);
                } catch (ConnectException expected) {
                    // listens on loopback only
                }
            }

            PfmeterJar.Run bill = pfmeter("billing", "--config", conf.toString(), "--month", month);
            assertThat(bill.code()).as(bill.err()).isZero();
            // the daemon started moments ago: the only thing on stderr is the coverage warning of a month mostly unpolled
            assertThat(bill.err().lines().toList()).singleElement().asString()
                    .startsWith("pfmeter: warning: billing " + month + ": polled ");
            assertThat(bill.out()).contains("customers/acme:acme-web");
            PfmeterJar.Run usage = pfmeter("usage", "--config", conf.toString(), "--month", month, "--label", "customers/acme:acme-web",
                    "--format", "json");
            assertThat(usage.code()).as(usage.err()).isZero();

            // the ledger went on writing during and after the reads, without a failed write
            DaemonProcess.awaitWrittenPolls(daemon, http, base, DaemonProcess.writtenPolls(http, base) + 1);
            assertThat(DaemonProcess.writtenPolls(http, base)).isGreaterThan(before + 1);
            String metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("pfmeter_ledger_write_errors_total 0.0");
        } finally {
            daemon.destroy();
            assertThat(daemon.waitFor(1, TimeUnit.MINUTES)).isTrue();
        }
        assertThat(Files.readString(log)).contains("billing and usage can read the database while pfmeter runs")
                .doesNotContain("WARN DaemonAccounting").doesNotContain("ERROR");
        assertThat(data.resolve("pfmeter.server")).as("withdrawn at shutdown").doesNotExist();

        // no daemon: the file is opened read-only and nothing is left in the daemon's directory,
        // also when a killed daemon left its announcement behind (nobody listens on that port now)
        List<String> before = files(data);
        PfmeterJar.Run after = pfmeter("billing", "--config", conf.toString(), "--month", month);
        assertThat(after.code()).as(after.err()).isZero();
        assertThat(after.out()).contains("customers/acme:acme-web");
        Files.writeString(data.resolve("pfmeter.server"), announced);
        PfmeterJar.Run stale = pfmeter("billing", "--config", conf.toString(), "--month", month);
        assertThat(stale.code()).as(stale.err()).isZero();
        assertThat(volumes(stale.out())).isEqualTo(volumes(after.out())).isNotEmpty();
        Files.delete(data.resolve("pfmeter.server"));
        assertThat(files(data)).isEqualTo(before);
    }
}
