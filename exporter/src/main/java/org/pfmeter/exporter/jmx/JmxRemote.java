package org.pfmeter.exporter.jmx;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.rmi.NoSuchObjectException;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.rmi.server.RMIClientSocketFactory;
import java.rmi.server.RMIServerSocketFactory;
import java.rmi.server.UnicastRemoteObject;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.management.MBeanServer;
import javax.management.remote.JMXServiceURL;
import javax.management.remote.rmi.RMIConnectorServer;
import javax.management.remote.rmi.RMIJRMPServerImpl;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.rmi.ssl.SslRMIClientSocketFactory;
import org.pfmeter.exporter.config.JmxConfig;
import org.pfmeter.exporter.config.PasswordFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The remote JMX connector for JConsole: an RMI registry and the RMI connector sharing one port,
 * bound to the configured address, password-protected (the JDK's {@code jmxremote.password} file
 * format; every user read-only unless a {@code jmxremote.access} file grants more, see
 * {@link JmxAccess}), optionally over TLS for both the registry
 * and the connector. Clients connect to {@link #clientUrl()}:
 * {@code service:jmx:rmi:///jndi/rmi://HOST:PORT/jmxrmi}.
 */
public final class JmxRemote implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JmxRemote.class);

    private final Registry registry;
    private final RMIConnectorServer connector;
    private final String host;
    private final int port;
    private final boolean tls;

    private JmxRemote(Registry registry, RMIConnectorServer connector, String host, int port, boolean tls) {
        this.registry = registry;
        this.connector = connector;
        this.host = host;
        this.port = port;
        this.tls = tls;
    }

    public static JmxRemote start(MBeanServer server, JmxConfig.Remote config) throws IOException {
        String bind = config.listen().host();
        InetAddress address = InetAddress.getByName(bind);
        SSLContext ssl = null;
        if (config.tls().isPresent()) {
            ssl = sslContext(config.tls().get());
        }
        // RMI stubs carry the host clients must call back: the bound address, not this host's first one
        if (System.getProperty("java.rmi.server.hostname") == null && !address.isAnyLocalAddress()) {
            System.setProperty("java.rmi.server.hostname", address.getHostAddress());
        }
        BoundServerSocketFactory ssf = new BoundServerSocketFactory(address, ssl);
        RMIClientSocketFactory csf = ssl == null ? null : new SslRMIClientSocketFactory();
        int port = config.listen().port() != 0 ? config.listen().port() : freePort(address);
        Registry registry = LocateRegistry.createRegistry(port, csf, ssf);

        Map<String, Object> env = new HashMap<>();
        env.put("jmx.remote.x.password.file", config.passwordFile().toString());
        // not the JDK's jmx.remote.x.access.file: without one the JDK lets every user do everything
        // (an MLet loads code from any URL); JmxAccess makes that read-only
        JmxAccess access = config.accessFile().isPresent() ? JmxAccess.fromFile(config.accessFile().get()) : JmxAccess.readOnly();
        plainTextWarning(address, ssl != null).ifPresent(LOG::warn);
        // only user name and password cross the wire before authentication
        env.put("jmx.remote.rmi.server.credential.types", new String[] {String[].class.getName(), String.class.getName()});
        if (csf != null) {
            env.put(RMIConnectorServer.RMI_CLIENT_SOCKET_FACTORY_ATTRIBUTE, csf);
        }
        env.put(RMIConnectorServer.RMI_SERVER_SOCKET_FACTORY_ATTRIBUTE, ssf);
        RMIConnectorServer connector = null;
        try {
            // the connector's remote object shares the registry's port: same (equal) server socket factory
            RMIJRMPServerImpl impl = new RMIJRMPServerImpl(port, csf, ssf, env);
            connector = new RMIConnectorServer(new JMXServiceURL("rmi", bind, port), env, impl, server);
            connector.setMBeanServerForwarder(access.forwarder());
            connector.start();
            registry.bind("jmxrmi", impl.toStub());
        } catch (IOException | java.rmi.AlreadyBoundException | RuntimeException e) {
            if (connector != null) {
                try {
                    connector.stop();
                } catch (IOException ignored) {
                    // already failing
                }
            }
            UnicastRemoteObject.unexportObject(registry, true);
            throw e instanceof IOException io ? io : new IOException("cannot start remote JMX: " + e.getMessage(), e);
        }
        return new JmxRemote(registry, connector, bind, port, ssl != null);
    }

    /**
     * Remote JMX without TLS sends passwords and every value in clear text: fine on loopback (an SSH
     * tunnel), worth a warning anywhere else.
     */
    static Optional<String> plainTextWarning(InetAddress address, boolean tls) {
        if (tls || address.isLoopbackAddress()) {
            return Optional.empty();
        }
        return Optional.of("remote JMX on " + (address.isAnyLocalAddress() ? "every interface" : address.getHostAddress())
                + " without TLS: passwords and values cross the network in clear text; set jmx.remote.tls.keystore"
                + " (--jmx-keystore), or bind jmx.remote.bind to 127.0.0.1 and use an SSH tunnel");
    }

    /** Port 0 (tests): one free port for both the registry and the connector, which must share it. */
    private static int freePort(InetAddress address) throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, address)) {
            return s.getLocalPort();
        }
    }

    private static SSLContext sslContext(JmxConfig.Tls tls) throws IOException {
        try {
            char[] password = PasswordFile.readChars(tls.keyStorePasswordFile());
            KeyStore ks = KeyStore.getInstance(tls.keyStore().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".jks")
                    ? "JKS" : "PKCS12");
            try (InputStream in = Files.newInputStream(tls.keyStore())) {
                ks.load(in, password);
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, password);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException("jmx.remote.tls.keystore " + tls.keyStore() + ": " + e.getMessage(), e);
        }
    }

    /** The port the registry and connector listen on (the ephemeral one when 0 was configured). */
    public int port() {
        return port;
    }

    public boolean tls() {
        return tls;
    }

    /** What JConsole and {@code JMXConnectorFactory} connect to. */
    public JMXServiceURL clientUrl() {
        try {
            String h = host.contains(":") ? "[" + host + "]" : host;
            return new JMXServiceURL("service:jmx:rmi:///jndi/rmi://" + h + ":" + port + "/jmxrmi");
        } catch (java.net.MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            connector.stop();
        } finally {
            try {
                UnicastRemoteObject.unexportObject(registry, true);
            } catch (NoSuchObjectException ignored) {
                // already gone
            }
        }
    }

    /**
     * Server sockets bound to one address (RMI's default binds every address), plain or TLS. Equal
     * factories let RMI put the registry and the connector on one listening socket.
     */
    static final class BoundServerSocketFactory implements RMIServerSocketFactory {
        private final InetAddress address;
        private final SSLContext ssl;

        BoundServerSocketFactory(InetAddress address, SSLContext ssl) {
            this.address = address;
            this.ssl = ssl;
        }

        @Override
        public ServerSocket createServerSocket(int port) throws IOException {
            ServerSocket s = ssl == null
                    ? new ServerSocket(port, 50, address)
                    : ssl.getServerSocketFactory().createServerSocket(port, 50, address);
            return s;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof BoundServerSocketFactory f && f.address.equals(address) && Objects.equals(f.ssl, ssl);
        }

        @Override
        public int hashCode() {
            return Objects.hash(address, ssl);
        }
    }
}
