package org.pfmeter.exporter.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The HTTP side apart from its address ({@link Config#listen()}).
 *
 * @param tls                when present the listener speaks only HTTPS (TLS 1.2 and 1.3)
 * @param allowPlainBilling  the billing endpoint may take passwords over plain HTTP on an address
 *                           other than loopback (behind a TLS-terminating proxy on a trusted network)
 */
public record HttpConfig(Optional<Tls> tls, boolean allowPlainBilling) {

    public static final HttpConfig PLAIN = new HttpConfig(Optional.empty(), false);

    /** A PKCS12 key store holding the server's key and certificate chain, and a file whose first line is its password. */
    public record Tls(Path keyStore, Path keyStorePasswordFile) {
    }
}
