package org.pfmeter.exporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pfmeter.exporter.http.Credentials;

/**
 * HTTPS from the configuration keys to a real client: with {@code http.tls.keystore} the daemon's
 * listener speaks only TLS (1.2 or 1.3), billing works over it with basic authentication, and plain
 * HTTP gets no answer.
 */
class HttpsTest {

    @TempDir
    Path tmp;

    @Test
    void theListenerSpeaksOnlyModernTlsAndServesBillingOverIt() throws Exception {
        Path ks = Keystores.generate(tmp.resolve("http.p12"), "changeit");
        Path ksPassword = Keystores.secret(tmp.resolve("http.p12.password"), "changeit\n");
        Path users = tmp.resolve("billing.users");
        Files.writeString(users, Credentials.line("alice", "correct horse".toCharArray()) + "\n");
        try (TestDaemon t = TestDaemon.start(Files.createDirectories(tmp.resolve("data")), """
                http.tls.keystore = %s
                http.tls.keystore-password-file = %s
                http.billing-credentials = %s
                """.formatted(ks, ksPassword, users))) {
            t.daemon.poller().pollOnce();
            SSLContext trusting = Keystores.trusting(ks, "changeit");
            HttpClient https = HttpClient.newBuilder().sslContext(trusting).connectTimeout(Duration.ofSeconds(5)).build();
            String base = "https://127.0.0.1:" + t.daemon.httpPort();

            HttpResponse<String> metrics = https.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("pf_states ");
            assertThat(metrics.sslSession().orElseThrow().getProtocol()).isIn("TLSv1.2", "TLSv1.3");
            assertThat(metrics.headers().firstValue("Strict-Transport-Security")).hasValueSatisfying(v -> assertThat(v).startsWith("max-age="));

            String auth = "Basic " + Base64.getEncoder().encodeToString("alice:correct horse".getBytes(StandardCharsets.UTF_8));
            HttpResponse<String> bill = https.send(HttpRequest.newBuilder(URI.create(base + "/billing?month=2026-11"))
                    .header("Authorization", auth).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(bill.statusCode()).isEqualTo(200);
            assertThat(bill.headers().firstValue("Cache-Control")).contains("no-store");

            // TLS 1.2 alone is enough
            SSLParameters tls12 = new SSLParameters();
            tls12.setProtocols(new String[] {"TLSv1.2"});
            HttpClient https12 = HttpClient.newBuilder().sslContext(trusting).sslParameters(tls12).build();
            assertThat(https12.send(HttpRequest.newBuilder(URI.create(base + "/-/healthy")).build(),
                    HttpResponse.BodyHandlers.ofString()).sslSession().orElseThrow().getProtocol()).isEqualTo("TLSv1.2");

            // a client that trusts nothing it has not been told to refuses the self-signed key: it is really TLS
            HttpClient untrusting = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            assertThatThrownBy(() -> untrusting.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);

            // plain HTTP on the same port gets no HTTP answer
            String plain = rawPlain(t.daemon.httpPort());
            assertThat(plain).doesNotStartWith("HTTP/1.1 200").doesNotContain("pf_states");

            // TLS 1.0 and 1.1 are left out by HttpServer's protocol list; this JVM disables them on both
            // sides anyway (jdk.tls.disabledAlgorithms), so a client here cannot even offer them.
            assertThat(handshakeFails(trusting, t.daemon.httpPort(), "TLSv1.3")).isFalse();
        }
    }

    private static String rawPlain(int port) throws Exception {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            try {
                return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            } catch (java.net.SocketException e) {
                return "";
            }
        }
    }

    private static boolean handshakeFails(SSLContext ctx, int port, String protocol) throws Exception {
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.setEnabledProtocols(new String[] {protocol});
            try {
                s.startHandshake();
                return false;
            } catch (IOException e) {
                return true;
            }
        } catch (IllegalArgumentException e) {
            // the JDK itself no longer knows the protocol: it cannot be negotiated either
            return true;
        }
    }
}
