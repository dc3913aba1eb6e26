package org.pfmeter.exporter.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * MBeans in the platform MBean server and, optionally, a remote JMX connector for JConsole.
 *
 * @param statesWarningPercent  state-table usage (states ÷ the states limit, in percent) at which a
 *                              warning notification is sent
 * @param statesCriticalPercent likewise for the critical notification
 * @param statesHysteresisPercent how far (percentage points) usage must fall below a threshold
 *                              before the level drops back and a notification says so
 */
public record JmxConfig(
        boolean enabled,
        double statesWarningPercent,
        double statesCriticalPercent,
        double statesHysteresisPercent,
        Optional<Remote> remote) {

    /**
     * The remote connector: an RMI registry and the connector on one port, bound to {@code bind}.
     * It always requires a password file (the JDK's jmxremote.password format); an access file
     * (jmxremote.access format) is optional, without one every authenticated user may only read
     * (see {@code jmx.JmxAccess}).
     */
    public record Remote(
            HostPort listen,
            Path passwordFile,
            Optional<Path> accessFile,
            Optional<Tls> tls) {
    }

    /** TLS for the registry and the connector: a PKCS12 or JKS key store and a file holding its password. */
    public record Tls(Path keyStore, Path keyStorePasswordFile) {
    }
}
