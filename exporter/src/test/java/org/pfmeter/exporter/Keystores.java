package org.pfmeter.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** A PKCS12 key store made by the JDK's keytool, as exporter/README.md ("HTTPS") tells operators to make one. */
public final class Keystores {

    private Keystores() {
    }

    /** A self-signed EC key for 127.0.0.1 in {@code file}, protected by {@code password}. */
    public static Path generate(Path file, String password) throws Exception {
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "pfmeter", "-keyalg", "EC", "-dname", "CN=127.0.0.1", "-validity", "2",
                "-ext", "SAN=ip:127.0.0.1", "-storetype", "PKCS12", "-keystore", file.toString(), "-storepass", password)
                .redirectErrorStream(true).start();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(new String(keytool.getInputStream().readAllBytes())).isZero();
        return file;
    }

    /** A file readable by its owner only, as password files must be. */
    public static Path secret(Path file, String content) throws Exception {
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    /** A client context that trusts exactly the certificate in the key store. */
    public static SSLContext trusting(Path keyStore, String password, String... protocols) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            trust.load(in, password.toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, tmf.getTrustManagers(), null);
        return client;
    }
}
