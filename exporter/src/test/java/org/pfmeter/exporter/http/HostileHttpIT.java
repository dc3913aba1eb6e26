package org.pfmeter.exporter.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Gauge;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pfmeter.exporter.DaemonProcess;
import org.pfmeter.exporter.Keystores;
import org.pfmeter.exporter.PfmeterJar;
import org.pfmeter.exporter.TestDaemon;
import org.pfmeter.exporter.config.HostPort;
import org.pfmeter.exporter.config.HttpConfig;

/**
 * The HTTP side against what an attacker on the network does (issue 19): a flood of bad billing
 * credentials, TLS handshakes sent a byte at a time, one host holding idle sockets, and queries that
 * do not decode. In each, the scrapes and health probes of everyone else must keep being answered.
 * Clients that must look like different hosts bind their own loopback source address (127.0.0.N;
 * Linux routes all of 127/8 to lo). Bounds are generous: the box running this is loaded.
 */
class HostileHttpIT {

    /** A probe that takes longer than this under attack has failed (a quiet probe takes milliseconds). */
    static final Duration PROBE_BOUND = Duration.ofSeconds(2);

    @TempDir
    Path dir;

    final List<HttpServer> servers = new ArrayList<>();
    final List<Socket> sockets = new ArrayList<>();
    final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "hostile-client");
        t.setDaemon(true);
        return t;
    });

    @AfterEach
    void stop() throws Exception {
        pool.shutdownNow();
        for (Socket s : sockets) {
            s.close();
        }
        for (HttpServer s : servers) {
            s.stop();
        }
    }

    @Test
    void aFloodOfBadCredentialsLeavesMetricsAndHealthAnswering() throws Exception {
        Path users = dir.resolve("billing.users");
        Files.writeString(users, Credentials.line("alice", "correct horse".toCharArray()) + "\n");
        try (TestDaemon d = TestDaemon.start(Files.createDirectories(dir.resolve("data")), "http.billing-credentials = " + users + "\n")) {
            d.daemon.poller().pollOnce();
            int port = d.daemon.httpPort();
            Duration quiet = probe(port, 20).max();

            // 48 "hosts", each sending wrong passwords as fast as it gets answers (a 20 ms breath between)
            AtomicBoolean flooding = new AtomicBoolean(true);
            Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
            List<Future<?>> flood = new ArrayList<>();
            for (int i = 0; i < 48; i++) {
                String from = "127.0.0." + (10 + i);
                int n = i;
                flood.add(pool.submit(() -> {
                    for (int k = 0; flooding.get(); k++) {
                        String auth = basic("alice:guess-" + n + "-" + k);
                        try (Socket s = from(from, port)) {
                            s.setSoTimeout(60_000);
                            write(s, "GET /billing?month=2026-11 HTTP/1.1\r\nHost: x\r\nAuthorization: " + auth
                                    + "\r\nConnection: close\r\n\r\n");
                            String r = RawHttp.readToEnd(s.getInputStream());
                            statuses.computeIfAbsent(r.isEmpty() ? 0 : RawHttp.status(r), x -> new AtomicLong()).incrementAndGet();
                        } catch (IOException | AssertionError e) {
                            statuses.computeIfAbsent(-1, x -> new AtomicLong()).incrementAndGet();
                        }
                        Thread.sleep(20);
                    }
                    return null;
                }));
            }
            Thread.sleep(1_000); // let the flood fill the handler threads
            Probes underFlood = probe(port, 40);
            flooding.set(false);
            for (Future<?> f : flood) {
                f.get(2, TimeUnit.MINUTES);
            }

            assertThat(underFlood.failures()).as("probes not answered 200 within %s under the flood (%s); flood answers %s",
                    PROBE_BOUND, underFlood, statuses).isEmpty();
            assertThat(underFlood.max()).as("slowest probe under the flood; %s quiet; flood answers %s", quiet, statuses)
                    .isLessThan(PROBE_BOUND);
            // the flood was refused, mostly without a password check
            assertThat(statuses.keySet()).as("flood answers").contains(401).containsAnyOf(429, 503).doesNotContain(200, 500);
            // the legitimate user still gets in once the flood is over (a different client; nothing waits for it)
            assertThat(d.get("/billing?month=2026-11", "Authorization", basic("alice:correct horse")).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aTlsHandshakeSentAByteAtATimeIsCutByTheGuardAndFreesItsSlot() throws Exception {
        Path ks = Keystores.generate(dir.resolve("http.p12"), "changeit");
        Path ksPassword = Keystores.secret(dir.resolve("http.p12.password"), "changeit\n");
        // 4 connections, a 1 s guard, a 30 s idle timeout that every byte would restart
        HttpLimits limits = new HttpLimits(8 * 1024, 2048, Duration.ofSeconds(30), Duration.ofSeconds(1), 4, 8, 4);
        HttpServer s = start(new HostPort("127.0.0.1", 0), Optional.of(new HttpConfig.Tls(ks, ksPassword)), limits);
        SSLContext trusting = Keystores.trusting(ks, "changeit");
        byte[] hello = clientHello(trusting, s.port());
        assertThat(hello.length).as("a ClientHello takes longer than the guard to trickle in").isGreaterThan(100);

        List<Future<Duration>> cut = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Socket slow = from("127.0.0.2", s.port());
            cut.add(pool.submit(() -> trickleUntilClosed(slow, hello, Duration.ofMillis(100))));
        }
        // while the four hold every slot, an HTTPS health probe from elsewhere waits only for the guard
        HttpClient https = HttpClient.newBuilder().sslContext(trusting).connectTimeout(Duration.ofSeconds(15)).build();
        long start = System.nanoTime();
        HttpResponse<String> healthy = https.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + s.port() + "/-/healthy"))
                .timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(healthy.statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        for (Future<Duration> f : cut) {
            // 1 s guard + a sweep; far less than the ClientHello's time at a byte per 100 ms
            assertThat(f.get(30, TimeUnit.SECONDS)).isLessThan(Duration.ofSeconds(8));
        }
    }

    @Test
    void oneClientHoldsAtMostItsShareOfConnectionsAndOthersStillConnect() throws Exception {
        HttpLimits limits = new HttpLimits(8 * 1024, 2048, Duration.ofSeconds(30), Duration.ofSeconds(10), 8, 8, 2);
        HttpServer s = start(new HostPort("127.0.0.1", 0), Optional.empty(), limits);
        List<Socket> held = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Socket h = from("127.0.0.2", s.port());
            assertThat(exchangeKeepAlive(h)).startsWith("HTTP/1.1 200");
            held.add(h);
        }
        // the third from the same host is closed unanswered
        Socket third = from("127.0.0.2", s.port());
        third.setSoTimeout(5_000);
        try {
            write(third, "GET /-/healthy HTTP/1.1\r\nHost: x\r\n\r\n");
        } catch (IOException closedAlready) {
            // closed before the request went out: as good
        }
        assertThat(RawHttp.readToEnd(third.getInputStream())).as("answer to a connection beyond the share").isEmpty();
        // another host is served
        assertThat(exchangeKeepAlive(from("127.0.0.3", s.port()))).startsWith("HTTP/1.1 200");
        // and the first host again once it closes one
        held.get(0).close();
        assertThat(eventually(() -> exchangeKeepAlive(from("127.0.0.2", s.port())))).startsWith("HTTP/1.1 200");
        // the host itself (where a local TLS proxy connects from for everyone) is not capped
        for (int i = 0; i < 3; i++) {
            assertThat(exchangeKeepAlive(from("127.0.0.1", s.port()))).as("local connection %d", i).startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void twoHundredIdleSocketsFromOneHostDoNotTimeOutTheHealthProbe() throws Exception {
        HttpServer s = start(new HostPort("127.0.0.1", 0), Optional.empty(), HttpLimits.DEFAULTS);
        int connected = 0;
        for (int i = 0; i < 200; i++) {
            try {
                from("127.0.0.2", s.port(), 2_000);
                connected++;
            } catch (IOException e) {
                // a full accept queue drops the SYN: the attacker simply has fewer sockets
            }
        }
        assertThat(connected).as("sockets the attacker opened").isPositive();
        Probes p = probe(s.port(), 10);
        assertThat(p.failures()).as("probes beside %d idle sockets from one host: %s", connected, p).isEmpty();
        assertThat(p.max()).isLessThan(PROBE_BOUND);
    }

    @Test
    void queriesThatDoNotDecodeAre400AndLogAtMostOneLine() throws Exception {
        List<String> cmd = PfmeterJar.command(List.of());
        // every interface, as an operator's ':10190' would: said so in the start-up line
        cmd.addAll(List.of("run", "--simulate", "--listen", ":0", "--data-dir", dir.resolve("data").toString(), "--interval", "1h"));
        Path err = dir.resolve("daemon.err");
        Process daemon = new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectOutput(dir.resolve("daemon.out").toFile()).redirectError(err.toFile()).start();
        try {
            int port = DaemonProcess.awaitServingPort(daemon, err, "http://0.0.0.0", Duration.ofMinutes(2));
            assertThat(Files.readString(err)).contains("/metrics on every interface");
            long before = Files.readAllLines(err).size();
            for (int i = 0; i < 200; i++) {
                String path = i % 2 == 0 ? "/metrics?name[]=%ff" : "/billing?month=%ff%fe";
                String r = RawHttp.exchange(port, "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
                assertThat(RawHttp.status(r)).as(path).isEqualTo(400);
            }
            assertThat(RawHttp.status(RawHttp.exchange(port, "GET /-/healthy HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")))
                    .isEqualTo(200);
            List<String> lines = Files.readAllLines(err);
            List<String> added = lines.subList((int) before, lines.size());
            // the simulated pf may log on its own meanwhile: count what the bad queries could have caused
            List<String> caused = added.stream().filter(l -> l.contains("query") || l.contains("400") || l.contains("500")
                    || l.contains("Exception") || l.contains("Error") || l.startsWith("\tat ") || l.startsWith("Caused by")).toList();
            assertThat(caused).as("log lines after 200 bad queries; all added: %s", added).hasSizeLessThanOrEqualTo(1);
        } finally {
            daemon.destroy();
            if (!daemon.waitFor(30, TimeUnit.SECONDS)) {
                daemon.destroyForcibly();
            }
        }
    }

    // ---- helpers

    HttpServer start(HostPort listen, Optional<HttpConfig.Tls> tls, HttpLimits limits) throws Exception {
        CollectorRegistry r = new CollectorRegistry();
        Gauge.build("pf_states", "States.").register(r).set(7);
        HttpServer s = new HttpServer(listen, r, () -> true, "1", "hostile", Optional.empty(), tls, limits);
        servers.add(s);
        s.start();
        return s;
    }

    /** A socket from a loopback address of the test's choosing, kept for closing at the end. */
    Socket from(String local, int port) throws IOException {
        return from(local, port, 5_000);
    }

    Socket from(String local, int port, int connectTimeoutMillis) throws IOException {
        Socket s = new Socket();
        synchronized (sockets) {
            sockets.add(s);
        }
        s.bind(new InetSocketAddress(local, 0));
        s.connect(new InetSocketAddress("127.0.0.1", port), connectTimeoutMillis);
        return s;
    }

    static void write(Socket s, String request) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(request.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** One keep-alive /-/healthy exchange; the socket stays open. */
    static String exchangeKeepAlive(Socket s) throws IOException {
        s.setSoTimeout(5_000);
        write(s, "GET /-/healthy HTTP/1.1\r\nHost: x\r\n\r\n");
        byte[] b = new byte[4096];
        int n = s.getInputStream().read(b);
        return n < 0 ? "(closed)" : new String(b, 0, n, StandardCharsets.ISO_8859_1);
    }

    interface Attempt {
        String get() throws IOException;
    }

    /** The server uncounts a closed socket when its selector sees the close: retry briefly. */
    static String eventually(Attempt a) throws Exception {
        String last = "";
        for (int i = 0; i < 50; i++) {
            try {
                last = a.get();
                if (last.startsWith("HTTP/1.1 200")) {
                    return last;
                }
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(100);
        }
        return last;
    }

    static String basic(String userAndPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8));
    }

    /** The bytes a real TLS client sends first. */
    static byte[] clientHello(SSLContext context, int port) throws Exception {
        SSLEngine e = context.createSSLEngine("127.0.0.1", port);
        e.setUseClientMode(true);
        e.beginHandshake();
        ByteBuffer out = ByteBuffer.allocate(e.getSession().getPacketBufferSize());
        e.wrap(ByteBuffer.allocate(0), out);
        out.flip();
        byte[] b = new byte[out.remaining()];
        out.get(b);
        return b;
    }

    /** Sends {@code bytes} one at a time until the server closes; how long it kept the connection. */
    static Duration trickleUntilClosed(Socket s, byte[] bytes, Duration pause) throws Exception {
        long start = System.nanoTime();
        s.setSoTimeout((int) pause.toMillis());
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        for (byte b : bytes) {
            try {
                out.write(b);
                out.flush();
                if (in.read() < 0) {
                    return Duration.ofNanos(System.nanoTime() - start);
                }
            } catch (SocketTimeoutException stillOpen) {
                continue;
            } catch (IOException closed) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            // the server answered something before the hello was complete: it did not wait for it
            return Duration.ofNanos(System.nanoTime() - start);
        }
        return Duration.ofDays(1); // the whole hello went in and the connection stayed
    }

    record Probes(List<Duration> took, List<String> failures) {
        Duration max() {
            return took.stream().max(Duration::compareTo).orElse(Duration.ZERO);
        }
    }

    /** {@code n} probes alternating /-/healthy and /metrics, each on a new connection from 127.0.0.1. */
    static Probes probe(int port, int n) throws InterruptedException {
        List<Duration> took = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String path = i % 2 == 0 ? "/-/healthy" : "/metrics";
            long start = System.nanoTime();
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
                s.setSoTimeout(10_000);
                write(s, "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
                String r = RawHttp.readToEnd(s.getInputStream());
                Duration d = Duration.ofNanos(System.nanoTime() - start);
                took.add(d);
                if (r.isEmpty() || RawHttp.status(r) != 200) {
                    failures.add(path + " answered " + (r.isEmpty() ? "nothing" : r.lines().findFirst().orElse("")));
                } else if (d.compareTo(PROBE_BOUND) > 0) {
                    failures.add(path + " took " + d);
                }
            } catch (IOException | AssertionError e) {
                took.add(Duration.ofNanos(System.nanoTime() - start));
                failures.add(path + " " + e.getMessage());
            }
            Thread.sleep(100);
        }
        return new Probes(took, failures);
    }
}
