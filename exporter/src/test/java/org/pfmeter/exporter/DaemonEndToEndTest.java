package org.pfmeter.exporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServerConnection;
import javax.management.Notification;
import javax.management.NotificationListener;
import javax.management.ObjectName;
import javax.management.openmbean.TabularData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pfmeter.exporter.jmx.JmxNotifications;
import org.pfmeter.exporter.jmx.JmxPublisher;
import org.pfmeter.exporter.prometheus.Unsigned;
import org.pfmeter.pf.model.InterfaceCounters;
import org.pfmeter.pf.model.LabelCounters;
import org.pfmeter.pf.model.PfLimit;
import org.pfmeter.pf.model.PfSnapshot;
import org.pfmeter.pf.model.Status;
import org.pfmeter.pf.sim.Fault;

/**
 * The real daemon: Jetty on an ephemeral port scraped over HTTP, a real RMI JMX connector with a
 * password file, and the simulated pf's state ramp driving the threshold notifications.
 */
class DaemonEndToEndTest {

    @TempDir
    Path tmp;

    TestDaemon t;

    @BeforeEach
    void start() throws Exception {
        Path password = tmp.resolve("jmxremote.password");
        Files.writeString(password, "monitor s3cret\ncontrol 0ther\n");
        Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-------"));
        Path access = tmp.resolve("jmxremote.access");
        Files.writeString(access, "monitor readonly\ncontrol readwrite\n");
        // a bill of each kind, so that every pfmeter_bill_* family is served
        Path bills = Files.writeString(tmp.resolve("bills.conf"), """
                [bill acme]
                type   = quota
                quota  = 1G
                anchor = customers/acme

                [bill transit]
                type   = 95th
                commit = 1M
                label  = glob:egress-*
                """);
        t = TestDaemon.start(tmp.resolve("data"), """
                billing.bills = %s
                poll.interval = 10s
                metrics.rules = true
                tables.address-counters = customers/acme:acme-nets
                jmx.remote.port = 0
                jmx.remote.bind = 127.0.0.1
                jmx.remote.password-file = %s
                jmx.remote.access-file = %s
                """.formatted(bills, password, access));
    }

    @AfterEach
    void stop() {
        t.close();
    }

    @Test
    void notReadyUntilTheFirstPollThenServesEveryFamilyFromThatPoll() throws Exception {
        assertThat(t.get("/-/healthy").statusCode()).isEqualTo(200);
        assertThat(t.get("/-/ready").statusCode()).isEqualTo(503);
        Exposition before = t.scrape();
        assertThat(before.value("pfmeter_polls_total")).contains(0.0);
        assertThat(before.samples("pf_states")).isEmpty();
        assertThat(t.get("/").body()).contains("href=\"/metrics\"", "href=\"/-/healthy\"", "href=\"/-/ready\"");

        PfSnapshot s = t.daemon.poller().pollOnce();
        assertThat(t.get("/-/ready").statusCode()).isEqualTo(200);
        Exposition m = t.scrape();

        Status st = s.status().value().orElseThrow();
        assertThat(m.value("pf_up")).contains(1.0);
        assertThat(m.value("pf_since_uptime_seconds")).contains((double) st.since());
        assertThat(m.value("pf_start_time_seconds"))
                .contains((double) t.pf.bootTime().orElseThrow().getEpochSecond() + st.since());
        assertThat(m.value("pf_states")).contains((double) st.states());
        assertThat(m.value("pf_limit", "limit", "states")).contains(10_000.0);
        assertThat(m.value("pf_limit_usage", "limit", "states")).contains((double) st.states());
        assertThat(m.value("pf_ruleset_info", "checksum", st.checksum())).contains(1.0);
        assertThat(m.value("pf_packets_total", "reason", "match")).contains(Unsigned.toDouble(st.counters()
                .get(org.pfmeter.pf.model.Reason.MATCH)));
        assertThat(m.samples("pf_label_evaluations_total")).hasSize(36);
        LabelCounters first = s.labels().orElseThrow().get(0);
        assertThat(m.value("pf_label_bytes_total", "anchor", first.anchor(), "label", first.label(), "direction", "out"))
                .contains(Unsigned.toDouble(first.bytesOut()));
        InterfaceCounters em0 = s.interfaces().value().orElseThrow().stream().filter(i -> i.name().equals("em0")).findFirst().orElseThrow();
        assertThat(m.value("pf_interface_states", "interface", "em0", "kind", "interface")).contains((double) em0.states());
        assertThat(m.samples("pf_table_addresses")).hasSize(8);
        assertThat(m.value("pf_timeout_seconds", "timeout", "tcp_established")).contains(86_400.0);
        assertThat(m.value("pfmeter_subsystem_up", "subsystem", "rules")).contains(1.0);
        assertThat(m.value("pfmeter_polls_total")).contains(1.0);
        assertThat(m.value("pfmeter_snapshot_age_seconds")).contains(0.0);
        assertThat(m.value("pfmeter_build_info", "abi_release", "8.0")).contains(1.0);
        assertThat(m.samples("jvm_threads_current")).isNotEmpty();

        // the snapshot ages while nothing polls, and says so
        t.clock.advance(Duration.ofSeconds(25));
        assertThat(t.scrape().value("pfmeter_snapshot_age_seconds")).contains(25.0);
    }

    @Test
    void servesOpenMetricsWhenAskedAndGzipWhenAccepted() throws Exception {
        t.daemon.poller().pollOnce();
        HttpResponse<String> om = t.get("/metrics", "Accept", "application/openmetrics-text; version=1.0.0; charset=utf-8");
        assertThat(om.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/openmetrics-text"));
        assertThat(om.body()).contains("# TYPE pf_packets counter").endsWith("# EOF\n");
        HttpResponse<String> one = t.get("/metrics?name[]=pf_states");
        assertThat(Exposition.parse(one.body()).types.keySet()).containsExactly("pf_states");
        HttpResponse<String> post = t.get("/metrics", "X-Dummy", "1");
        assertThat(post.statusCode()).isEqualTo(200);
    }

    @Test
    void theMetricsReferenceListsExactlyWhatIsServed() throws Exception {
        t.daemon.poller().pollOnce();
        Exposition m = t.scrape();
        Map<String, MetricsReference.Entry> doc = MetricsReference.load();
        Set<String> served = new TreeSet<>();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> e : m.types.entrySet()) {
            String family = e.getKey();
            if (!family.startsWith("pf_") && !family.startsWith("pfmeter_")) {
                continue;
            }
            served.add(family);
            MetricsReference.Entry d = doc.get(family);
            if (d == null) {
                problems.add(family + " is served but not in the reference");
                continue;
            }
            if (!d.type().equals(e.getValue())) {
                problems.add(family + " is a " + e.getValue() + " but the reference says " + d.type());
            }
            for (Exposition.Sample s : m.samples) {
                if (s.name().endsWith("_bucket") && e.getValue().equals("histogram")) {
                    continue;     // a histogram's buckets add le to the family's labels
                }
                if (m.familyOf(s.name()).equals(family) && !List.copyOf(s.labels().keySet()).equals(d.labels())) {
                    problems.add(family + " has labels " + s.labels().keySet() + " but the reference says " + d.labels());
                    break;
                }
            }
        }
        for (String family : doc.keySet()) {
            if (!served.contains(family)) {
                problems.add(family + " is in the reference but not served");
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void aFailingSubsystemIsMarkedDownAndTheOthersAreStillServed() throws Exception {
        t.daemon.poller().pollOnce();
        t.pf.inject(Fault.BUSY_ALWAYS);
        t.daemon.poller().pollOnce();
        Exposition m = t.scrape();
        assertThat(m.value("pfmeter_subsystem_up", "subsystem", "rules")).contains(0.0);
        assertThat(m.value("pfmeter_subsystem_up", "subsystem", "status")).contains(1.0);
        assertThat(m.value("pfmeter_poll_errors_total", "subsystem", "rules")).contains(1.0);
        assertThat(m.samples("pf_label_bytes_total")).isEmpty();
        assertThat(m.samples("pf_states")).hasSize(1);
        assertThat(m.samples("pf_interface_bytes_total")).isNotEmpty();
        assertThat(m.samples("pf_table_addresses")).hasSize(8);
        assertThat(m.value("pf_limit_usage", "limit", "anchors")).isEmpty();
        assertThat(t.get("/-/ready").statusCode()).isEqualTo(200);

        t.pf.clear(Fault.BUSY_ALWAYS);
        t.daemon.poller().pollOnce();
        assertThat(t.scrape().value("pfmeter_subsystem_up", "subsystem", "rules")).contains(1.0);
    }

    @Test
    void jmxOverARealConnectorReadsTheBeansAndNotifiesStateTableThresholds() throws Exception {
        t.daemon.poller().pollOnce();
        assertThatThrownBy(() -> connect("monitor", "wrong")).isInstanceOf(SecurityException.class);

        try (JMXConnector c = connect("control", "0ther")) {
            MBeanServerConnection mbs = c.getMBeanServerConnection();
            PfSnapshot s = t.daemon.poller().holder().latest().orElseThrow().snapshot();
            ObjectName status = new ObjectName("org.pfmeter:type=Status");
            assertThat(mbs.getAttribute(status, "States")).isEqualTo(s.status().value().orElseThrow().states());
            assertThat(mbs.getAttribute(status, "Checksum")).isEqualTo(s.status().value().orElseThrow().checksum());
            assertThat(mbs.queryNames(new ObjectName("org.pfmeter:type=Label,*"), null)).hasSize(36);
            assertThat(mbs.queryNames(new ObjectName("org.pfmeter:type=Table,*"), null)).hasSize(8);
            assertThat(mbs.queryNames(new ObjectName("org.pfmeter:type=Queue,*"), null)).hasSize(8);
            // a named table's entries: addresses in JMX only, unsigned counters, CompositeData over the connector
            ObjectName acme = JmxPublisher.tableAddressesName("customers/acme", "acme-nets");
            org.pfmeter.pf.model.TableAddresses ta = s.tableAddresses().value().orElseThrow().get(0);
            assertThat(mbs.getAttribute(acme, "Found")).isEqualTo(true);
            assertThat(mbs.getAttribute(acme, "AddressCount")).isEqualTo(12);
            javax.management.openmbean.CompositeData[] entries = (javax.management.openmbean.CompositeData[]) mbs.getAttribute(acme, "Entries");
            assertThat(entries).hasSize(12);
            assertThat(entries[0].get("address")).isEqualTo(ta.addresses().get(0).address().text());
            assertThat(entries[0].get("bytesOutPass")).isEqualTo(new java.math.BigInteger(Long.toUnsignedString(
                    ta.addresses().get(0).bytes(org.pfmeter.pf.model.Direction.OUT, org.pfmeter.pf.model.TableAction.PASS))));
            assertThat(entries[0].get("counted")).isEqualTo(true);
            Exposition m = t.scrape();
            assertThat(m.value("pf_table_entries_read", "anchor", "customers/acme", "table", "acme-nets")).contains(12.0);
            assertThat(m.value("pf_table_counted_entries", "anchor", "customers/acme", "table", "acme-nets"))
                    .contains((double) ta.addresses().stream().filter(org.pfmeter.pf.model.AddressCounters::counted).count());
            LabelCounters l = s.labels().orElseThrow().get(s.labels().orElseThrow().size() - 1);
            assertThat(mbs.getAttribute(JmxPublisher.labelName(l.anchor(), l.label()), "BytesIn")).isEqualTo(new java.math.BigInteger(Long.toUnsignedString(l.bytesIn())));
            ObjectName poller = new ObjectName("org.pfmeter:type=Poller");
            assertThat(mbs.getAttribute(poller, "Polls")).isEqualTo(1L);
            assertThat((String) mbs.invoke(poller, "pollNow", null, null)).contains("all subsystems read");
            assertThat(mbs.getAttribute(poller, "Polls")).isEqualTo(2L);

            ObjectName limits = new ObjectName("org.pfmeter:type=Limits");
            BlockingQueue<Notification> received = new LinkedBlockingQueue<>();
            NotificationListener listener = (n, hb) -> received.add(n);
            mbs.addNotificationListener(limits, listener, null, null);

            // the ramp fills the 10000-state table within 10 simulated minutes: poll every simulated minute
            t.pf.inject(Fault.STATE_RAMP);
            for (int minute = 1; minute <= 11; minute++) {
                t.clock.advance(Duration.ofMinutes(1));
                t.daemon.poller().pollOnce();
            }
            // notifications travel over RMI asynchronously; each poll sent at most one
            List<Notification> got = new ArrayList<>();
            while (got.size() < 2) {
                Notification n = received.poll(10, TimeUnit.SECONDS);
                assertThat(n).as("notification " + (got.size() + 1)).isNotNull();
                got.add(n);
            }
            List<String> types = got.stream().map(Notification::getType).toList();
            @SuppressWarnings("unchecked")
            double warningUsage = (double) ((Map<String, Object>) got.get(0).getUserData()).get("usagePercent");
            assertThat(types).containsExactly(JmxNotifications.STATES_WARNING, JmxNotifications.STATES_CRITICAL);
            assertThat(warningUsage).isBetween(80.0, 95.0);
            assertThat(mbs.getAttribute(limits, "StateTableLevel")).isEqualTo("CRITICAL");
            // an MXBean's Map<String, Long> reaches a JMX client as TabularData keyed by "key"
            TabularData usage = (TabularData) mbs.getAttribute(limits, "Usage");
            assertThat((Long) usage.get(new Object[] {PfLimit.STATES.kernelName()}).get("value")).isGreaterThanOrEqualTo(9_500L);

            // still critical: no new notification
            t.clock.advance(Duration.ofMinutes(1));
            t.daemon.poller().pollOnce();
            t.pf.clear(Fault.STATE_RAMP);
            t.clock.advance(Duration.ofMinutes(5));
            t.daemon.poller().pollOnce();
            Notification normal = received.poll(10, TimeUnit.SECONDS);
            assertThat(normal).isNotNull();
            assertThat(normal.getType()).isEqualTo(JmxNotifications.STATES_NORMAL);
            assertThat(received).isEmpty();
            mbs.removeNotificationListener(limits, listener);
        }
    }

    @Test
    void beansComeAndGoWithInterfacesAndTheRulesetChangeIsNotified() throws Exception {
        t.daemon.poller().pollOnce();
        ObjectName vlan300 = JmxPublisher.interfaceName("vlan300");
        assertThat(t.mbeans.isRegistered(vlan300)).isTrue();
        BlockingQueue<Notification> received = new LinkedBlockingQueue<>();
        t.mbeans.addNotificationListener(new ObjectName("org.pfmeter:type=Status"), (n, hb) -> received.add(n), null, null);

        t.pf.inject(Fault.INTERFACE_VANISH);
        t.daemon.poller().pollOnce();
        assertThat(t.mbeans.isRegistered(vlan300)).isFalse();
        t.pf.inject(Fault.INTERFACE_APPEAR);
        t.daemon.poller().pollOnce();
        assertThat(t.mbeans.isRegistered(vlan300)).isTrue();

        t.pf.inject(Fault.RULESET_RELOAD);
        t.daemon.poller().pollOnce();
        assertThat(received.poll(10, TimeUnit.SECONDS)).isNotNull()
                .extracting(Notification::getType).isEqualTo(JmxNotifications.RULESET_CHANGED);
        assertThat(t.scrape().value("pf_ruleset_changes_total")).contains(1.0);
    }

    @Test
    void theSourceNodesBeanHoldsTheTopSourcesWithTheirAddressesWhichMetricsNeverShow() throws Exception {
        t.clock.advance(Duration.ofHours(2));
        t.daemon.poller().pollOnce();
        PfSnapshot s = t.daemon.poller().holder().latest().orElseThrow().snapshot();
        org.pfmeter.pf.model.SourceNodes nodes = s.sourceNodes().value().orElseThrow();
        assertThat(nodes.top()).hasSize(10);
        ObjectName name = new ObjectName("org.pfmeter:type=SourceNodes");
        assertThat(t.mbeans.getAttribute(name, "Nodes")).isEqualTo(nodes.nodes());
        assertThat(t.mbeans.getAttribute(name, "States")).isEqualTo(nodes.states());
        assertThat(t.mbeans.getAttribute(name, "BreakdownSkipped")).isEqualTo(false);
        javax.management.openmbean.CompositeData[] top =
                (javax.management.openmbean.CompositeData[]) t.mbeans.getAttribute(name, "TopSources");
        assertThat(top).extracting(c -> c.get("address")).containsExactlyElementsOf(
                nodes.top().stream().map(org.pfmeter.pf.model.SourceNode::address).toList());
        assertThat(top).extracting(c -> c.get("states")).containsExactlyElementsOf(
                nodes.top().stream().map(org.pfmeter.pf.model.SourceNode::states).toList());
        javax.management.openmbean.CompositeData[] byRule =
                (javax.management.openmbean.CompositeData[]) t.mbeans.getAttribute(name, "ByRule");
        assertThat(java.util.Arrays.stream(byRule).mapToLong(c -> (Long) c.get("nodes")).sum()).isEqualTo(nodes.nodes());
        String metrics = t.get("/metrics").body();
        for (org.pfmeter.pf.model.SourceNode n : nodes.top()) {
            assertThat(metrics).doesNotContain("\"" + n.address() + "\"");
        }
        assertThat(t.scrape().samples("pf_source_nodes")).hasSize(nodes.groups().size());
    }

    @Test
    void closingStopsHttpAndUnregistersEveryBean() throws Exception {
        t.daemon.poller().pollOnce();
        int port = t.daemon.httpPort();
        assertThat(t.mbeans.queryNames(new ObjectName("org.pfmeter:*"), null)).isNotEmpty();
        t.close();
        assertThat(t.mbeans.queryNames(new ObjectName("org.pfmeter:*"), null)).isEmpty();
        assertThatThrownBy(() -> new java.net.Socket("127.0.0.1", port).close()).isInstanceOf(java.io.IOException.class);
    }

    private JMXConnector connect(String user, String password) throws Exception {
        return JMXConnectorFactory.connect(t.daemon.jmxRemote().orElseThrow().clientUrl(),
                Map.of(JMXConnector.CREDENTIALS, new String[] {user, password}));
    }
}
