package org.pfmeter.exporter.jmx;

import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import org.pfmeter.exporter.config.JmxConfig;
import org.pfmeter.exporter.poll.BootTime;
import org.pfmeter.exporter.poll.PollStats;
import org.pfmeter.exporter.poll.Poller;
import org.pfmeter.exporter.poll.SnapshotListener;
import org.pfmeter.pf.model.PfSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mirrors each snapshot as MXBeans under the {@value #DOMAIN} domain: {@code type=Status},
 * {@code type=Limits}, {@code type=Poller}, {@code type=SourceNodes}, and one bean per interface, label, table and queue,
 * registered when it appears in a poll and unregistered when a poll of its subsystem no longer
 * lists it (a subsystem that failed keeps its beans as they were). Every key value is quoted
 * ({@link ObjectName#quote}), so any character a pf label or anchor holds is safe.
 */
public final class JmxPublisher implements SnapshotListener, AutoCloseable {

    public static final String DOMAIN = "org.pfmeter";

    private static final Logger LOG = LoggerFactory.getLogger(JmxPublisher.class);

    private final MBeanServer server;
    private final BootTime bootTime;
    private final StatusBean status = new StatusBean();
    private final LimitsBean limits;
    private final SourceNodesBean sourceNodes = new SourceNodesBean();
    private final Map<ObjectName, InterfaceBean> interfaces = new HashMap<>();
    private final Map<ObjectName, LabelBean> labels = new HashMap<>();
    private final Map<ObjectName, TableBean> tables = new HashMap<>();
    private final Map<ObjectName, QueueBean> queues = new HashMap<>();
    private final Map<ObjectName, StateLimiterBean> stateLimiters = new HashMap<>();
    private final Map<ObjectName, SourceLimiterBean> sourceLimiters = new HashMap<>();
    private final Map<ObjectName, TableAddressesBean> tableAddresses = new HashMap<>();
    private final Set<ObjectName> registered = new HashSet<>();
    private final ObjectName statusName;
    private final ObjectName limitsName;
    private final ObjectName pollerName;
    private final ObjectName sourceNodesName = name("type=SourceNodes");

    private JmxPublisher(MBeanServer server, JmxConfig config, BootTime bootTime) {
        this.server = server;
        this.bootTime = bootTime;
        this.limits = new LimitsBean(config);
        this.statusName = name("type=Status");
        this.limitsName = name("type=Limits");
        this.pollerName = name("type=Poller");
    }

    /** Registers the fixed beans and listens to {@code poller} for the rest. */
    public static JmxPublisher start(MBeanServer server, JmxConfig config, Poller poller, Clock clock, BootTime bootTime)
            throws JMException {
        JmxPublisher p = new JmxPublisher(server, config, bootTime);
        p.register(p.statusName, p.status);
        p.register(p.limitsName, p.limits);
        p.register(p.pollerName, new PollerBean(poller, clock));
        p.register(p.sourceNodesName, p.sourceNodes);
        poller.addListener(p);
        return p;
    }

    public static ObjectName interfaceName(String name) {
        return name("type=Interface,name=" + ObjectName.quote(name));
    }

    public static ObjectName labelName(String anchor, String label) {
        return name("type=Label,anchor=" + ObjectName.quote(anchor) + ",name=" + ObjectName.quote(label));
    }

    public static ObjectName tableName(String anchor, String table) {
        return name("type=Table,anchor=" + ObjectName.quote(anchor) + ",name=" + ObjectName.quote(table));
    }

    /** A table named in tables.address-counters, with its entries. */
    public static ObjectName tableAddressesName(String anchor, String table) {
        return name("type=TableAddresses,anchor=" + ObjectName.quote(anchor) + ",name=" + ObjectName.quote(table));
    }

    public static ObjectName queueName(String ifname, String queue) {
        return name("type=Queue,interface=" + ObjectName.quote(ifname) + ",name=" + ObjectName.quote(queue));
    }

    public static ObjectName stateLimiterName(String name) {
        return name("type=StateLimiter,name=" + ObjectName.quote(name));
    }

    public static ObjectName sourceLimiterName(String name) {
        return name("type=SourceLimiter,name=" + ObjectName.quote(name));
    }

    private static ObjectName name(String keys) {
        try {
            return new ObjectName(DOMAIN + ":" + keys);
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException("cannot name an MBean " + keys + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void onSnapshot(PfSnapshot s, PollStats stats) {
        status.update(s.status().value(), s.takenAt(), bootTime.get(), stats.rulesetChanges(), statusName);
        limits.update(s, limitsName);
        s.sourceNodes().value().ifPresent(sourceNodes::update);
        // a name pf gave twice would be one MBean updated twice: the first of each, as in /metrics
        s.interfaces().value().map(org.pfmeter.exporter.poll.UniqueNames::interfaces).ifPresent(list ->
                sync(interfaces, list, i -> interfaceName(i.name()), InterfaceBean::new, InterfaceBean::update));
        s.labels().ifPresent(list ->
                sync(labels, list, l -> labelName(l.anchor(), l.label()), LabelBean::new, LabelBean::update));
        s.tables().value().map(org.pfmeter.exporter.poll.UniqueNames::tables).ifPresent(list ->
                sync(tables, list, t -> tableName(t.anchor(), t.name()), TableBean::new, TableBean::update));
        s.queues().value().ifPresent(list ->
                sync(queues, list, q -> queueName(q.ifname(), q.name()), QueueBean::new, QueueBean::update));
        // not present (7.8) unregisters them as an empty list would
        if (s.stateLimiters().isOk() || s.stateLimiters().isNotPresent()) {
            sync(stateLimiters, s.stateLimiters().value().orElse(List.of()), l -> stateLimiterName(l.name()),
                    StateLimiterBean::new, StateLimiterBean::update);
        }
        if (s.sourceLimiters().isOk() || s.sourceLimiters().isNotPresent()) {
            sync(sourceLimiters, s.sourceLimiters().value().orElse(List.of()), l -> sourceLimiterName(l.name()),
                    SourceLimiterBean::new, SourceLimiterBean::update);
        }
        s.tableAddresses().value().ifPresent(list -> sync(tableAddresses, list,
                t -> tableAddressesName(t.table().anchor(), t.table().name()), TableAddressesBean::new, TableAddressesBean::update));
    }

    private <T, B> void sync(Map<ObjectName, B> beans, List<T> items, Function<T, ObjectName> naming,
                             Function<T, B> create, java.util.function.BiConsumer<B, T> update) {
        Set<ObjectName> seen = new HashSet<>();
        for (T item : items) {
            ObjectName n = naming.apply(item);
            if (!seen.add(n)) {
                continue;
            }
            B bean = beans.get(n);
            if (bean == null) {
                bean = create.apply(item);
                if (register(n, bean)) {
                    beans.put(n, bean);
                }
            } else {
                update.accept(bean, item);
            }
        }
        for (ObjectName gone : new HashSet<>(beans.keySet())) {
            if (!seen.contains(gone)) {
                beans.remove(gone);
                unregister(gone);
            }
        }
    }

    private boolean register(ObjectName n, Object bean) {
        try {
            server.registerMBean(bean, n);
            registered.add(n);
            return true;
        } catch (JMException e) {
            LOG.warn("cannot register MBean {}: {}", n, e.toString());
            return false;
        }
    }

    private void unregister(ObjectName n) {
        try {
            if (registered.remove(n)) {
                server.unregisterMBean(n);
            }
        } catch (JMException e) {
            LOG.warn("cannot unregister MBean {}: {}", n, e.toString());
        }
    }

    /** Unregisters every bean this publisher registered. */
    @Override
    public synchronized void close() {
        for (ObjectName n : new HashSet<>(registered)) {
            unregister(n);
        }
        interfaces.clear();
        labels.clear();
        tables.clear();
        queues.clear();
        tableAddresses.clear();
    }

    Set<ObjectName> registeredNames() {
        return Set.copyOf(registered);
    }
}
