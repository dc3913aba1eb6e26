package org.pfmeter.exporter.jmx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import javax.management.Attribute;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pfmeter.exporter.TestDaemon;

/**
 * Remote JMX over a real RMI connector on an ephemeral port: without an access file an
 * authenticated user may read but not create MBeans (an MLet loads code from any URL), set
 * attributes, unregister or invoke anything that changes state; an access file grants more.
 */
class JmxRemoteAccessTest {

    private static final ObjectName STATUS = name("org.pfmeter:type=Status");
    private static final ObjectName POLLER = name("org.pfmeter:type=Poller");
    private static final ObjectName MEMORY = name("java.lang:type=Memory");
    private static final ObjectName THREADING = name("java.lang:type=Threading");
    private static final ObjectName MLET = name("org.pfmeter.test:type=MLet");
    private static final ObjectName TIMER = name("org.pfmeter.test:type=Timer");

    @TempDir
    Path tmp;

    private TestDaemon t;

    @AfterEach
    void stop() {
        if (t != null) {
            t.close();
        }
    }

    @Test
    void withoutAnAccessFileAnAuthenticatedUserMayOnlyRead() throws Exception {
        t = start("");
        t.daemon.poller().pollOnce();
        try (JMXConnector c = connect("monitor", "s3cret")) {
            MBeanServerConnection mbs = c.getMBeanServerConnection();
            assertThat(mbs.getAttribute(STATUS, "Running")).isEqualTo(true);
            assertThat(mbs.queryNames(name("org.pfmeter:*"), null)).contains(STATUS, POLLER);
            assertThat(mbs.getMBeanInfo(POLLER).getOperations()).isNotEmpty();
            // JConsole's thread view: operations that only read stay allowed
            long id = Thread.currentThread().getId();
            assertThat(mbs.invoke(THREADING, "getThreadInfo", new Object[] {id}, new String[] {long.class.getName()}))
                    .isNotNull();

            assertThatThrownBy(() -> mbs.createMBean("javax.management.loading.MLet", MLET))
                    .isInstanceOf(SecurityException.class);
            assertThat(t.mbeans.isRegistered(MLET)).isFalse();
            assertThatThrownBy(() -> mbs.createMBean("javax.management.timer.Timer", TIMER))
                    .isInstanceOf(SecurityException.class);
            assertThatThrownBy(() -> mbs.setAttribute(MEMORY, new Attribute("Verbose", true)))
                    .isInstanceOf(SecurityException.class);
            long polls = (Long) mbs.getAttribute(POLLER, "Polls");
            assertThatThrownBy(() -> mbs.invoke(POLLER, "pollNow", null, null)).isInstanceOf(SecurityException.class);
            assertThat((Long) mbs.getAttribute(POLLER, "Polls")).isEqualTo(polls);
            assertThatThrownBy(() -> mbs.invoke(MEMORY, "gc", null, null)).isInstanceOf(SecurityException.class);
            assertThatThrownBy(() -> mbs.unregisterMBean(STATUS)).isInstanceOf(SecurityException.class);
            assertThat(t.mbeans.isRegistered(STATUS)).isTrue();
        }
    }

    @Test
    void anAccessFileGrantsReadwriteCreateAndUnregisterPerUser() throws Exception {
        Path access = tmp.resolve("jmxremote.access");
        Files.writeString(access, """
                # who may do what
                monitor readonly
                control readwrite
                admin   readwrite create javax.management.timer.* unregister
                """);
        t = start("jmx.remote.access-file = " + access + "\n");
        t.daemon.poller().pollOnce();
        try (JMXConnector c = connect("monitor", "s3cret")) {
            MBeanServerConnection mbs = c.getMBeanServerConnection();
            assertThat(mbs.getAttribute(STATUS, "Running")).isEqualTo(true);
            assertThatThrownBy(() -> mbs.invoke(POLLER, "pollNow", null, null)).isInstanceOf(SecurityException.class);
        }
        try (JMXConnector c = connect("control", "0ther")) {
            MBeanServerConnection mbs = c.getMBeanServerConnection();
            long polls = (Long) mbs.getAttribute(POLLER, "Polls");
            assertThat((String) mbs.invoke(POLLER, "pollNow", null, null)).startsWith("polled at");
            assertThat((Long) mbs.getAttribute(POLLER, "Polls")).isEqualTo(polls + 1);
            boolean verbose = (Boolean) mbs.getAttribute(MEMORY, "Verbose");
            mbs.setAttribute(MEMORY, new Attribute("Verbose", verbose));
            // readwrite without a create clause creates nothing, an MLet least of all
            assertThatThrownBy(() -> mbs.createMBean("javax.management.loading.MLet", MLET))
                    .isInstanceOf(SecurityException.class);
            assertThatThrownBy(() -> mbs.createMBean("javax.management.timer.Timer", TIMER))
                    .isInstanceOf(SecurityException.class);
        }
        try (JMXConnector c = connect("admin", "adm1n")) {
            MBeanServerConnection mbs = c.getMBeanServerConnection();
            mbs.createMBean("javax.management.timer.Timer", TIMER);
            assertThat(t.mbeans.isRegistered(TIMER)).isTrue();
            assertThatThrownBy(() -> mbs.createMBean("javax.management.loading.MLet", MLET))
                    .isInstanceOf(SecurityException.class);
            mbs.unregisterMBean(TIMER);
            assertThat(t.mbeans.isRegistered(TIMER)).isFalse();
        }
        // a user the access file does not name may not even read
        try (JMXConnector c = connect("stranger", "n0body")) {
            assertThatThrownBy(() -> c.getMBeanServerConnection().getAttribute(STATUS, "Running"))
                    .isInstanceOf(SecurityException.class);
        }
    }

    @Test
    void anAccessFileItCannotReadStopsTheStartWithFileAndLine() throws Exception {
        Path access = tmp.resolve("jmxremote.access");
        Files.writeString(access, "monitor readonly\ncontrol everything\n");
        assertThatThrownBy(() -> start("jmx.remote.access-file = " + access + "\n"))
                .hasMessageContaining(access + ":2");
    }

    /** TestDaemon's MBean server is its own: the JVM's memory and thread beans are added to it. */
    private TestDaemon start(String more) throws Exception {
        TestDaemon d = daemon(more);
        d.mbeans.registerMBean(java.lang.management.ManagementFactory.getMemoryMXBean(), MEMORY);
        d.mbeans.registerMBean(java.lang.management.ManagementFactory.getThreadMXBean(), THREADING);
        return d;
    }

    private TestDaemon daemon(String more) throws Exception {
        Path password = tmp.resolve("jmxremote.password");
        Files.writeString(password, "monitor s3cret\ncontrol 0ther\nadmin adm1n\nstranger n0body\n");
        Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-------"));
        return TestDaemon.start(tmp.resolve("data"), """
                jmx.remote.port = 0
                jmx.remote.bind = 127.0.0.1
                jmx.remote.password-file = %s
                """.formatted(password) + more);
    }

    private JMXConnector connect(String user, String password) throws Exception {
        return JMXConnectorFactory.connect(t.daemon.jmxRemote().orElseThrow().clientUrl(),
                Map.of(JMXConnector.CREDENTIALS, new String[] {user, password}));
    }

    private static ObjectName name(String s) {
        try {
            return new ObjectName(s);
        } catch (javax.management.MalformedObjectNameException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
