package org.pfmeter.exporter.jmx;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** Remote JMX in clear text is worth a warning, except on loopback. */
class JmxRemoteWarningTest {

    @Test
    void aNonLoopbackAddressWithoutTlsWarnsLoopbackOrTlsDoesNot() throws Exception {
        assertThat(JmxRemote.plainTextWarning(InetAddress.getByName("10.0.0.1"), false))
                .hasValueSatisfying(w -> assertThat(w).contains("10.0.0.1", "without TLS", "jmx.remote.tls.keystore"));
        assertThat(JmxRemote.plainTextWarning(InetAddress.getByName("0.0.0.0"), false))
                .hasValueSatisfying(w -> assertThat(w).contains("every interface"));
        assertThat(JmxRemote.plainTextWarning(InetAddress.getByName("::"), false)).isPresent();
        assertThat(JmxRemote.plainTextWarning(InetAddress.getByName("10.0.0.1"), true)).isEmpty();
        assertThat(JmxRemote.plainTextWarning(InetAddress.getByName("127.0.0.1"), false)).isEmpty();
        assertThat(JmxRemote.plainTextWarning(InetAddress.getByName("::1"), false)).isEmpty();
    }
}
