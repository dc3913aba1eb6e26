package org.pfmeter.exporter.jmx;

import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Principal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.remote.JMXPrincipal;
import javax.management.remote.MBeanServerForwarder;
import javax.security.auth.Subject;

/**
 * What each remote JMX user may do, enforced between the connector and the MBean server. Without
 * an access file every authenticated user may only read: attributes, MBean info, queries,
 * notifications, and the {@link #READ_ONLY_OPERATIONS}. Creating MBeans (an {@code MLet} loads
 * classes from any URL: code execution), setting attributes, invoking any other operation and
 * unregistering need an access file that grants them, in the JDK's {@code jmxremote.access} format:
 *
 * <pre>
 * monitor readonly
 * control readwrite
 * admin   readwrite create javax.management.timer.Timer unregister
 * </pre>
 *
 * {@code readwrite} adds setting attributes and invoking operations; {@code create CLASS,…} (a
 * trailing {@code *} matches a prefix) the classes such a user may create; {@code unregister}
 * unregistering. A user the file does not name may do nothing. Invoking {@code addURL} or
 * {@code getMBeansFromURL} of an {@code MLet} is refused to everyone, as the JDK's agent does.
 */
public final class JmxAccess {

    /** What one user may do. */
    public record Grant(boolean readWrite, List<String> create, boolean unregister) {
        static final Grant READ_ONLY = new Grant(false, List.of(), false);

        boolean mayCreate(String className) {
            return create.stream().anyMatch(p -> p.endsWith("*")
                    ? className.startsWith(p.substring(0, p.length() - 1))
                    : className.equals(p));
        }
    }

    /**
     * Operations that only read and are allowed with {@code readonly}, by MBean: JConsole's thread
     * and VM views. pfmeter's own {@code org.pfmeter:type=Poller} {@code pollNow} is not among them:
     * it runs a poll, publishes a new snapshot and accounts the interval, so it needs readwrite.
     */
    static final Map<String, Set<String>> READ_ONLY_OPERATIONS = Map.of(
            "java.lang:type=Threading", Set.of("getThreadInfo", "findDeadlockedThreads",
                    "findMonitorDeadlockedThreads", "getThreadCpuTime", "getThreadUserTime", "getThreadAllocatedBytes"),
            "java.util.logging:type=Logging", Set.of("getLoggerLevel", "getParentLoggerName"),
            "com.sun.management:type=HotSpotDiagnostic", Set.of("getVMOption"));

    private static final String MLET = "javax.management.loading.MLet";
    private static final Set<String> MLET_LOADERS = Set.of("addURL", "getMBeansFromURL");

    /** Methods of {@link MBeanServer} that only read. */
    private static final Set<String> READS = Set.of("getAttribute", "getAttributes", "getMBeanInfo", "queryNames",
            "queryMBeans", "isRegistered", "getMBeanCount", "getDefaultDomain", "getDomains", "isInstanceOf",
            "getObjectInstance", "addNotificationListener", "removeNotificationListener", "deserialize", "getClassLoader", "getClassLoaderFor", "getClassLoaderRepository");

    private final Optional<Map<String, Grant>> users;

    private JmxAccess(Optional<Map<String, Grant>> users) {
        this.users = users;
    }

    /** Every authenticated user may read, nothing more. */
    public static JmxAccess readOnly() {
        return new JmxAccess(Optional.empty());
    }

    /**
     * Reads a {@code jmxremote.access} file.
     *
     * @throws IOException naming the file and line of anything it does not understand
     */
    public static JmxAccess fromFile(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        Map<String, Grant> users = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = file + ":" + (i + 1) + ": ";
            String[] w = line.split("\\s+");
            if (w.length < 2 || !(w[1].equals("readonly") || w[1].equals("readwrite"))) {
                throw new IOException(where + "expected \"USER readonly\" or \"USER readwrite [create CLASS,...] [unregister]\""
                        + " (jmx.remote.access-file)");
            }
            boolean rw = w[1].equals("readwrite");
            List<String> create = List.of();
            boolean unregister = false;
            for (int j = 2; j < w.length; j++) {
                if (!rw) {
                    throw new IOException(where + "create and unregister need readwrite (jmx.remote.access-file)");
                }
                if (w[j].equals("unregister")) {
                    unregister = true;
                } else if (w[j].equals("create") && j + 1 < w.length) {
                    create = List.of(w[++j].split(","));
                } else {
                    throw new IOException(where + "unknown clause \"" + w[j] + "\"; expected create CLASS,... or unregister"
                            + " (jmx.remote.access-file)");
                }
            }
            if (users.put(w[0], new Grant(rw, create, unregister)) != null) {
                throw new IOException(where + "user " + w[0] + " is named twice (jmx.remote.access-file)");
            }
        }
        return new JmxAccess(Optional.of(Map.copyOf(users)));
    }

    /** What {@code user} may do: read only without an access file, nothing if the file does not name them. */
    Optional<Grant> grant(String user) {
        return users.isEmpty() ? Optional.of(Grant.READ_ONLY) : Optional.ofNullable(users.get().get(user));
    }

    /** The forwarder the connector puts in front of the MBean server. */
    public MBeanServerForwarder forwarder() {
        Handler h = new Handler();
        MBeanServerForwarder f = (MBeanServerForwarder) Proxy.newProxyInstance(MBeanServerForwarder.class.getClassLoader(),
                new Class<?>[] {MBeanServerForwarder.class}, h);
        return f;
    }

    /** The authenticated user of the current call, from the subject the connector runs it as. */
    @SuppressWarnings("removal")
    private static Optional<String> currentUser() {
        Subject s = Subject.getSubject(java.security.AccessController.getContext());
        if (s == null) {
            return Optional.empty();
        }
        return s.getPrincipals(JMXPrincipal.class).stream().map(Principal::getName).findFirst();
    }

    private final class Handler implements InvocationHandler {
        private volatile MBeanServer server;

        @Override
        public Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
            String name = m.getName();
            switch (name) {
                case "getMBeanServer" -> {
                    return server;
                }
                case "setMBeanServer" -> {
                    if (server != null) {
                        throw new IllegalStateException("the MBean server is already set");
                    }
                    server = (MBeanServer) args[0];
                    return null;
                }
                case "equals" -> {
                    return proxy == args[0];
                }
                case "hashCode" -> {
                    return System.identityHashCode(proxy);
                }
                case "toString" -> {
                    return "JmxAccess forwarder";
                }
                default -> {
                    check(name, args);
                    try {
                        return m.invoke(server, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                }
            }
        }

        private void check(String method, Object[] args) throws Exception {
            Optional<String> who = currentUser();
            if (who.isEmpty()) {
                // The connector's own calls (class loaders to unmarshal a request, its listener on the
                // delegate for notifications) run outside any client's subject, and the JDK's access
                // controller lets them through the same way. Every client call has a subject: the
                // connector always authenticates (a password file is required).
                return;
            }
            String user = who.get();
            Grant g = grant(user).orElseThrow(() -> new SecurityException("access denied: " + user
                    + " is not in the JMX access file"));
            if (READS.contains(method)) {
                return;
            }
            switch (method) {
                case "invoke" -> {
                    ObjectName target = (ObjectName) args[0];
                    String op = (String) args[1];
                    if (MLET_LOADERS.contains(op) && server.isInstanceOf(target, MLET)) {
                        throw new SecurityException("access denied: " + op + " of an MLet loads code from a URL");
                    }
                    if (READ_ONLY_OPERATIONS.getOrDefault(target.getCanonicalName(), Set.of()).contains(op)) {
                        return;
                    }
                    requireWrite(user, g, "invoke " + op + " of " + target);
                }
                case "setAttribute", "setAttributes" -> requireWrite(user, g, "set attributes of " + args[0]);
                case "createMBean", "instantiate", "registerMBean" -> {
                    String className = method.equals("registerMBean") ? args[0].getClass().getName() : (String) args[0];
                    if (!g.readWrite() || !g.mayCreate(className)) {
                        throw new SecurityException("access denied: " + user + " may not create " + className
                                + " (jmx.remote.access-file: readwrite create CLASS)");
                    }
                }
                case "unregisterMBean" -> {
                    if (!g.readWrite() || !g.unregister()) {
                        throw new SecurityException("access denied: " + user + " may not unregister " + args[0]
                                + " (jmx.remote.access-file: readwrite unregister)");
                    }
                }
                default -> throw new SecurityException("access denied: " + method + " is not available remotely");
            }
        }

        private void requireWrite(String user, Grant g, String what) {
            if (!g.readWrite()) {
                throw new SecurityException("access denied: " + user + " may only read; " + what
                        + " needs readwrite in jmx.remote.access-file");
            }
        }
    }
}
