package org.pfmeter.exporter.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.client.Collector;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Gauge;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pfmeter.exporter.config.HostPort;

/**
 * The HTTP side under hostile requests, on a real Jetty on an ephemeral port: limits, bodies,
 * errors that say nothing about Jetty or the code, security headers, slow clients and the bound on
 * connections.
 */
class HttpServerTest {

    static final HttpLimits FAST = new HttpLimits(8 * 1024, 2048, Duration.ofMillis(1500), Duration.ofMillis(400), 4, 8);

    final List<HttpServer> servers = new ArrayList<>();
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    HttpServer start(CollectorRegistry registry, HttpLimits limits) throws Exception {
        HttpServer s = new HttpServer(new HostPort("127.0.0.1", 0), registry, () -> true, "1.2.3", "simulated <pf>",
                Optional.empty(), Optional.empty(), limits);
        servers.add(s);
        s.start();
        return s;
    }

    HttpServer start() throws Exception {
        CollectorRegistry r = new CollectorRegistry();
        Gauge.build("pf_states", "States.").register(r).set(7);
        return start(r, FAST);
    }

    @AfterEach
    void stop() throws Exception {
        for (HttpServer s : servers) {
            s.stop();
        }
    }

    HttpResponse<String> get(HttpServer s, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static void assertSecurityHeaders(java.net.http.HttpHeaders h) {
        assertThat(h.firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(h.firstValue("X-Frame-Options")).contains("DENY");
        assertThat(h.firstValue("Content-Security-Policy")).hasValueSatisfying(v -> assertThat(v).startsWith("default-src 'none'"));
        assertThat(h.firstValue("Referrer-Policy")).contains("no-referrer");
        assertThat(h.firstValue("Server")).isEmpty();
        assertThat(h.firstValue("X-Powered-By")).isEmpty();
    }

    static void assertSecurityHeaders(String rawHead) {
        assertThat(rawHead).contains("X-Content-Type-Options: nosniff", "X-Frame-Options: DENY",
                "Content-Security-Policy: default-src 'none'", "Referrer-Policy: no-referrer");
        assertThat(rawHead.toLowerCase()).doesNotContain("server:", "jetty", "x-powered-by");
    }

    @Test
    void everyAnswerCarriesTheSecurityHeadersAndNoServerVersion() throws Exception {
        HttpServer s = start();
        for (String path : List.of("/", "/metrics", "/-/healthy", "/-/ready", "/nothing-here", "/metrics/", "/..%2f")) {
            HttpResponse<String> r = get(s, path);
            assertSecurityHeaders(r.headers());
        }
        assertThat(get(s, "/").body()).contains("simulated &lt;pf&gt;").doesNotContain("<style", "<script", "style=");
        HttpResponse<String> post = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/metrics"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).contains("GET, HEAD");
        assertSecurityHeaders(post.headers());
    }

    @Test
    void billingConfiguredButPendingIs503SayingWhyToBillingUsersOnly_andNotConfiguredIs404() throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("billing", ".users");
        try {
            java.nio.file.Files.writeString(file, Credentials.line("alice", "correct horse".toCharArray()) + "\n");
            Authenticator users = new Authenticator(Credentials.load(file));
            java.util.concurrent.atomic.AtomicBoolean up = new java.util.concurrent.atomic.AtomicBoolean();
            java.util.concurrent.atomic.AtomicReference<BillingState> state = new java.util.concurrent.atomic.AtomicReference<>(
                    BillingState.pending(users, "pfmeter is starting: the accounting database db1 is being opened", Optional.empty()));
            HttpServer s = new HttpServer(new HostPort("127.0.0.1", 0), new CollectorRegistry(), up::get, "1.2.3", "starting",
                    state::get, Optional.empty(), FAST);
            servers.add(s);
            s.start();
            String alice = "Basic " + java.util.Base64.getEncoder().encodeToString("alice:correct horse".getBytes(StandardCharsets.UTF_8));
            String wrong = "Basic " + java.util.Base64.getEncoder().encodeToString("alice:wrong".getBytes(StandardCharsets.UTF_8));
            assertThat(get(s, "/-/ready").statusCode()).isEqualTo(503);
            assertThat(get(s, "/metrics").statusCode()).isEqualTo(200);
            for (String path : List.of("/billing?month=2026-11", "/billing/usage?month=2026-11&label=x")) {
                // nothing is told to a client that is not a billing user: the same 401 as ever
                for (HttpResponse<String> refused : List.of(get(s, path), get(s, path, "Authorization", wrong))) {
                    assertThat(refused.statusCode()).as(path).isEqualTo(401);
                    assertThat(refused.body()).as(path).isEqualTo("authentication required\n");
                }
                HttpResponse<String> r = get(s, path, "Authorization", alice);
                assertThat(r.statusCode()).as(path).isEqualTo(503);
                assertThat(r.body()).isEqualTo("Billing unavailable: pfmeter is starting: the accounting database db1 is being opened\n");
                assertThat(r.headers().firstValue("Cache-Control")).contains("no-store");
                assertThat(r.headers().firstValue("Retry-After")).isEmpty();
                assertSecurityHeaders(r.headers());
            }
            up.set(true);
            state.set(BillingState.pending(users, "the accounting database db1 cannot be reached yet; pfmeter retries every 8 s",
                    Optional.of(Duration.ofSeconds(8))));
            HttpResponse<String> pending = get(s, "/billing?month=2026-11", "Authorization", alice);
            assertThat(pending.statusCode()).isEqualTo(503);
            assertThat(pending.body()).isEqualTo("Billing unavailable: the accounting database db1 cannot be reached yet;"
                    + " pfmeter retries every 8 s\n");
            assertThat(pending.headers().firstValue("Retry-After")).contains("8");
            // not billing's paths: as before
            assertThat(get(s, "/billing/other", "Authorization", alice).statusCode()).isEqualTo(404);
            assertThat(get(s, "/-/ready").statusCode()).isEqualTo(200);

            // billing not configured: there is no such page, starting or not
            state.set(BillingState.off());
            up.set(false);
            assertThat(get(s, "/billing?month=2026-11").statusCode()).isEqualTo(404);
            assertThat(get(s, "/billing/usage", "Authorization", alice).statusCode()).isEqualTo(404);
        } finally {
            java.nio.file.Files.delete(file);
        }
    }

    @Test
    void unknownPathsAreAShortPlain404AndNothingIsListed() throws Exception {
        HttpServer s = start();
        for (String path : List.of("/nothing-here", "/metrics/", "/static/", "/-/", "/WEB-INF/", "/%2e%2e/etc/passwd")) {
            HttpResponse<String> r = get(s, path);
            assertThat(r.statusCode()).as(path).isIn(400, 404);
            assertThat(r.headers().firstValue("Content-Type")).as(path).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
            assertThat(r.body().length()).as(path).isLessThan(80);
            assertThat(r.body().toLowerCase()).as(path).doesNotContain("jetty", "<", "index of");
        }
    }

    @Test
    void malformedRequestsGetABareStatusLineAndNoJettyPage() throws Exception {
        HttpServer s = start();
        String badEncoding = RawHttp.exchange(s.port(), "GET /metrics%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(RawHttp.status(badEncoding)).isEqualTo(400);
        assertThat(RawHttp.body(badEncoding)).isEqualTo("400 Bad Request\n");
        assertSecurityHeaders(RawHttp.head(badEncoding));

        String hugeHeader = RawHttp.exchange(s.port(), "GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(10_000)
                + "\r\nConnection: close\r\n\r\n");
        assertThat(RawHttp.status(hugeHeader)).isEqualTo(431);
        assertThat(RawHttp.body(hugeHeader)).isEqualTo("431 Request Header Fields Too Large\n");
        assertSecurityHeaders(RawHttp.head(hugeHeader));

        String longUri = RawHttp.exchange(s.port(), "GET /metrics?x=" + "a".repeat(3_000) + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(RawHttp.status(longUri)).isEqualTo(414);
        assertThat(RawHttp.body(longUri)).startsWith("the URI is longer than 2048 characters");

        String hugeUri = RawHttp.exchange(s.port(), "GET /metrics?x=" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(RawHttp.status(hugeUri)).isIn(414, 431);
        assertThat(RawHttp.body(hugeUri).toLowerCase()).doesNotContain("jetty", "<");

        String garbage = RawHttp.exchange(s.port(), "\u0001\u0002 nonsense\r\n\r\n");
        assertThat(RawHttp.status(garbage)).isEqualTo(400);
        assertThat(RawHttp.body(garbage).toLowerCase()).doesNotContain("jetty", "<", "exception");
    }

    @Test
    void anExceptionInAHandlerIsAPlain500WithoutItsMessageOrStack() throws Exception {
        CollectorRegistry r = new CollectorRegistry();
        new Collector() {
            @Override
            public List<MetricFamilySamples> collect() {
                throw new IllegalStateException("secret detail from /etc/pfmeter/db.password");
            }
        }.register(r);
        HttpServer s = start(r, FAST);
        HttpResponse<String> m = get(s, "/metrics");
        assertThat(m.statusCode()).isEqualTo(500);
        assertThat(m.body()).isEqualTo("500 Server Error\n");
        assertThat(m.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
        assertSecurityHeaders(m.headers());
        // the server is still serving
        assertThat(get(s, "/-/healthy").statusCode()).isEqualTo(200);
    }

    @Test
    void requestBodiesAreRefused() throws Exception {
        HttpServer s = start();
        String withLength = RawHttp.exchange(s.port(), "GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello");
        assertThat(RawHttp.status(withLength)).isEqualTo(413);
        assertThat(RawHttp.head(withLength)).contains("Connection: close");
        String chunked = RawHttp.exchange(s.port(), "GET /metrics HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
        assertThat(RawHttp.status(chunked)).isEqualTo(413);
        String post = RawHttp.exchange(s.port(), "POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello");
        assertThat(RawHttp.status(post)).isEqualTo(405);
        String emptyBody = RawHttp.exchange(s.port(), "GET /-/healthy HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        assertThat(RawHttp.status(emptyBody)).isEqualTo(200);
        for (String method : List.of("PUT", "DELETE", "OPTIONS", "TRACE", "PATCH")) {
            String r = RawHttp.exchange(s.port(), method + " /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertThat(RawHttp.status(r)).as(method).isEqualTo(405);
        }
    }

    @Test
    void aRequestTricklingInIsCutOffAlthoughEveryByteRestartsTheIdleTimeout() throws Exception {
        HttpServer s = start();
        try (Socket slow = new Socket("127.0.0.1", s.port())) {
            slow.setSoTimeout(10_000);
            OutputStream out = slow.getOutputStream();
            out.write("GET /metrics HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.ISO_8859_1));
            long start = System.nanoTime();
            // one header byte every 100 ms: far inside the 1.5 s idle timeout, never a complete request
            boolean closed = false;
            for (int i = 0; i < 100 && !closed; i++) {
                try {
                    out.write('a');
                    out.flush();
                    Thread.sleep(100);
                } catch (java.net.SocketException e) {
                    closed = true;
                }
                if (slow.getInputStream().available() > 0) {
                    break;
                }
            }
            if (!closed) {
                InputStream in = slow.getInputStream();
                assertThat(RawHttp.readToEnd(in)).doesNotContain("pf_states");
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(took).isLessThan(Duration.ofSeconds(5)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
        }
        // well-behaved keep-alive clients are not affected
        try (Socket ok = new Socket("127.0.0.1", s.port())) {
            ok.setSoTimeout(5_000);
            for (int i = 0; i < 3; i++) {
                ok.getOutputStream().write("GET /-/healthy HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                byte[] b = new byte[4096];
                int n = ok.getInputStream().read(b);
                assertThat(new String(b, 0, n, StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 200").endsWith("OK\n");
                Thread.sleep(250); // idle between requests for longer than a sweep
            }
        }
    }

    @Test
    void aSilentConnectionIsClosedAfterTheIdleTimeout() throws Exception {
        HttpServer s = start();
        try (Socket silent = new Socket("127.0.0.1", s.port())) {
            silent.setSoTimeout(10_000);
            long start = System.nanoTime();
            assertThat(silent.getInputStream().read()).isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(1000), Duration.ofSeconds(8));
        }
    }

    @Test
    void connectionsAreBoundedAndAWaitingClientIsServedWhenOneCloses() throws Exception {
        HttpServer s = start(new CollectorRegistry(), new HttpLimits(8 * 1024, 2048, Duration.ofSeconds(20), Duration.ofSeconds(20), 2, 8));
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                Socket h = new Socket("127.0.0.1", s.port());
                h.getOutputStream().write("GET /-/healthy HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                h.setSoTimeout(5_000);
                assertThat(h.getInputStream().read(new byte[4096])).isPositive();
                held.add(h);
            }
            try (Socket third = new Socket("127.0.0.1", s.port())) {
                third.getOutputStream().write("GET /-/healthy HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                third.setSoTimeout(500);
                assertThat(readOrTimeout(third)).as("served beyond the connection limit").isNull();
                held.remove(0).close();
                third.setSoTimeout(10_000);
                assertThat(RawHttp.readToEnd(third.getInputStream())).startsWith("HTTP/1.1 200");
            }
        } finally {
            for (Socket h : held) {
                h.close();
            }
        }
    }

    @Test
    void aQueryThatIsNotPercentEncodedUtf8IsA400NotA500() throws Exception {
        HttpServer s = start();
        for (String query : List.of("name[]=%ff", "name[]=%", "%ff=1", "name[]=%c3%28", "name[]=%zz")) {
            String r = RawHttp.exchange(s.port(), "GET /metrics?" + query + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertThat(RawHttp.status(r)).as(query).isEqualTo(400);
            assertThat(RawHttp.body(r)).as(query).isEqualTo("the query is not valid: each name and value must be percent-encoded UTF-8\n");
            assertSecurityHeaders(RawHttp.head(r));
        }
        // a good selection still works
        assertThat(get(s, "/metrics?name[]=pf_states").body()).contains("pf_states 7.0");
    }

    @Test
    void aListenAddressOnEveryInterfaceIsSaidToBeSo() throws Exception {
        for (String any : List.of("", "0.0.0.0", "::")) {
            HttpServer s = new HttpServer(new HostPort(any, 0), new CollectorRegistry(), () -> true, "1", "x");
            servers.add(s);
            s.start();
            assertThat(s.describe()).as(any).startsWith("http://0.0.0.0:" + s.port() + "/metrics on every interface")
                    .contains("listen = " + new HostPort(any, 0));
        }
        HttpServer local = start();
        assertThat(local.describe()).isEqualTo("http://127.0.0.1:" + local.port() + "/metrics");
    }

    private static String readOrTimeout(Socket s) throws Exception {
        try {
            byte[] b = new byte[100];
            int n = s.getInputStream().read(b);
            return n < 0 ? "(closed)" : new String(b, 0, n, StandardCharsets.ISO_8859_1);
        } catch (java.net.SocketTimeoutException e) {
            return null;
        }
    }
}
