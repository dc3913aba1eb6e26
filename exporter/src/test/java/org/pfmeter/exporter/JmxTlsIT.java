package org.pfmeter.exporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.rmi.ssl.SslRMIClientSocketFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Remote JMX over TLS: the registry and the connector speak TLS with the configured key store, and
 * a client that trusts its certificate connects with a password. An integration test because the
 * client side uses the JVM-wide default SSL context, which it sets here.
 */
class JmxTlsIT {

    @TempDir
    Path tmp;

    @Test
    void aClientTrustingTheKeyStoreConnectsOverTls() throws Exception {
        Path ks = tmp.resolve("jmx.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "pfmeter", "-keyalg", "EC", "-dname", "CN=127.0.0.1", "-validity", "2",
                "-ext", "SAN=ip:127.0.0.1", "-storetype", "PKCS12", "-keystore", ks.toString(), "-storepass", "changeit")
                .redirectErrorStream(true).start();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(new String(keytool.getInputStream().readAllBytes())).isZero();
        Path ksPassword = secret("ks.password", "changeit\n");
        Path password = secret("jmx.password", "monitor s3cret\n");

        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(ks)) {
            trust.load(in, "changeit".toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, tmf.getTrustManagers(), null);
        SSLContext.setDefault(client);

        try (TestDaemon t = TestDaemon.start(tmp.resolve("data"), """
                jmx.remote.port = 0
                jmx.remote.password-file = %s
                jmx.remote.tls.keystore = %s
                jmx.remote.tls.keystore-password-file = %s
                """.formatted(password, ks, ksPassword))) {
            t.daemon.poller().pollOnce();
            var remote = t.daemon.jmxRemote().orElseThrow();
            assertThat(remote.tls()).isTrue();
            Map<String, Object> env = Map.of(JMXConnector.CREDENTIALS, new String[] {"monitor", "s3cret"},
                    "com.sun.jndi.rmi.factory.socket", new SslRMIClientSocketFactory());
            try (JMXConnector c = JMXConnectorFactory.connect(remote.clientUrl(), env)) {
                assertThat(c.getMBeanServerConnection().getAttribute(new ObjectName("org.pfmeter:type=Status"), "Running"))
                        .isEqualTo(true);
            }
            // a plain client cannot even read the registry
            assertThatThrownBy(() -> JMXConnectorFactory.connect(remote.clientUrl(),
                    Map.of(JMXConnector.CREDENTIALS, new String[] {"monitor", "s3cret"})).close())
                    .isInstanceOf(java.io.IOException.class);
        }
    }

    private Path secret(String name, String content) throws Exception {
        Path p = tmp.resolve(name);
        Files.writeString(p, content);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
        return p;
    }
}
