package org.pfmeter.exporter;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.hotspot.DefaultExports;
import java.io.IOException;
import java.net.BindException;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import javax.management.JMException;
import javax.management.MBeanServer;
import org.pfmeter.exporter.config.Config;
import org.pfmeter.exporter.config.Durations;
import org.pfmeter.exporter.config.HostPort;
import org.pfmeter.exporter.hardening.Privileges;
import org.pfmeter.exporter.http.HttpServer;
import org.pfmeter.exporter.jmx.JmxPublisher;
import org.pfmeter.exporter.jmx.JmxRemote;
import org.pfmeter.exporter.poll.PfSession;
import org.pfmeter.exporter.poll.Poller;
import org.pfmeter.exporter.poll.SnapshotHolder;
import org.pfmeter.exporter.poll.SnapshotListener;
import org.pfmeter.exporter.prometheus.PfMetrics;
import org.pfmeter.exporter.prometheus.SeriesLimits;
import org.pfmeter.pf.abi.PfDevices.NoPfException;
import org.pfmeter.pf.os.PrivilegeDrop.PrivilegeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code pfmeter run}: the poller, the Prometheus endpoint on Jetty and the MXBeans (and, when
 * configured, remote JMX), wired around one pf session. {@link #close()} shuts down in the order
 * that loses nothing: finish the poll in flight, close /dev/pf, stop Jetty, stop remote JMX,
 * unregister the MBeans.
 */
public final class Daemon implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(30);

    /**
     * How to run, apart from the configuration.
     *
     * @param clock         the wall clock (tests: a clock they move)
     * @param mbeanServer   where the MXBeans go (the platform server in production)
     * @param schedulePolls false in tests, which call {@code poller().pollOnce()} themselves
     * @param session       an already-open session (tests: a simulator they drive), else one is opened
     *                      from the configuration
     */
    public record Options(Clock clock, MBeanServer mbeanServer, boolean schedulePolls, Optional<PfSession> session) {

        public static Options production() {
            return new Options(Clock.systemUTC(), ManagementFactory.getPlatformMBeanServer(), true, Optional.empty());
        }
    }

    private final Config config;
    private final PfSession session;
    private final CollectorRegistry registry;
    private final Poller poller;
    private final ScheduledExecutorService scheduler;
    private JmxPublisher jmx;
    private JmxRemote jmxRemote;
    private HttpServer http;
    private volatile org.pfmeter.exporter.accounting.DaemonAccounting accounting;
    private org.pfmeter.exporter.poll.StatesPoller states;
    private java.util.concurrent.ExecutorService statesExecutor;
    private MBeanServer mbeanServer;
    private boolean closed;

    private Daemon(Config config, PfSession session, CollectorRegistry registry, Poller poller, ScheduledExecutorService scheduler) {
        this.config = config;
        this.session = session;
        this.registry = registry;
        this.poller = poller;
        this.scheduler = scheduler;
    }

    /**
     * Gives root up ({@link Privileges#afterPfOpened}) once the session holds every handle the host's
     * pf needs ({@link org.pfmeter.pf.os.HostPlatform#openedAsRoot}: /dev/pf, and on FreeBSD the pf
     * netlink socket), which {@link PfSession#open} opened as root; a kernel session missing one is
     * refused before anything is dropped ({@link org.pfmeter.exporter.hardening.OpenThenDrop}).
     */
    static void dropRootOnceOpen(Config config, PfSession session) throws PrivilegeException {
        if (!session.kernel()) {
            Privileges.afterPfOpened(config, false, session.describe());
            return;
        }
        java.util.Map<org.pfmeter.pf.os.HostPlatform.Handle, org.pfmeter.exporter.hardening.OpenThenDrop.Opener> held =
                new java.util.EnumMap<>(org.pfmeter.pf.os.HostPlatform.Handle.class);
        AutoCloseable ownedBySession = () -> { };
        session.device().ifPresent(d -> held.put(org.pfmeter.pf.os.HostPlatform.Handle.DEV_PF, () -> ownedBySession));
        session.netlink().ifPresent(n -> held.put(org.pfmeter.pf.os.HostPlatform.Handle.PF_NETLINK, () -> ownedBySession));
        try {
            org.pfmeter.exporter.hardening.OpenThenDrop.run(org.pfmeter.pf.os.HostPlatform.current(), held,
                    () -> Privileges.afterPfOpened(config, true, session.describe()));
        } catch (PrivilegeException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("cannot start: " + e.getMessage(), e);
        }
    }

    /**
     * Starts everything, or fails with a message saying what could not start (and leaves nothing
     * running). Order: open pf, apply the privilege policy ({@link Privileges}: drop to
     * privileges.user, or refuse to keep root on the kernel's pf), then the data directory, JMX,
     * HTTP (bound before the database, so a port in use fails fast and creates no file), the
     * database, and the polls.
     */
    public static Daemon start(Config config, Options options) throws NoPfException, IOException, JMException, PrivilegeException {
        // pf first (it may need root), then give up root, then everything else: the database and
        // its files are created by the unprivileged user (hardening, issue 8).
        PfSession session = options.session().isPresent()
                ? options.session().get()
                : PfSession.open(config.source(), options.clock(), PfSession.SimTime.RUNNING, config.sourceNodes());
        try {
            dropRootOnceOpen(config, session);
            org.pfmeter.exporter.hardening.DataDirectory.prepare(config.dataDir()).ifPresent(LOG::warn);
        } catch (PrivilegeException | IOException | RuntimeException e) {
            session.close();
            throw e;
        }
        LOG.info("reading {} with the {}", session.describe(), session.release().describe());
        CollectorRegistry registry = new CollectorRegistry(true);
        DefaultExports.register(registry);
        Poller poller = new Poller(session::poll, options.clock(), config.pollInterval(), new SnapshotHolder());
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "poller");
            t.setDaemon(true);
            return t;
        });
        Daemon d = new Daemon(config, session, registry, poller, scheduler);
        try {
            d.startParts(options);
        } catch (IOException | JMException | RuntimeException e) {
            d.close();
            throw e;
        }
        return d;
    }

    private void startParts(Options options) throws IOException, JMException {
        PfMetrics pf = PfMetrics.register(registry, poller, options.clock(), session.bootTime(),
                new SeriesLimits(config.maxLabelSeries(), config.maxTableSeries())
                        .withRules(config.ruleMetrics().enabled(), config.ruleMetrics().maxSeries()),
                new PfMetrics.Identity(Version.get(), session.describe(), session.release().id()));
        Optional<org.pfmeter.pf.states.StateBreakdownReader> stateReader = config.states().enabled()
                ? session.stateReader() : Optional.empty();
        if (config.states().enabled() && stateReader.isEmpty()) {
            LOG.info("states.enabled: pfmeter does not read the state table of {} yet; no state-table breakdown",
                    session.release().describe());
        } else if (stateReader.isPresent()) {
            // the state table on its own thread and cadence: a million states must not delay the poll
            if (options.schedulePolls()) {
                statesExecutor = Executors.newSingleThreadExecutor(r -> {
                    Thread t = new Thread(r, "states");
                    t.setDaemon(true);
                    return t;
                });
            }
            states = new org.pfmeter.exporter.poll.StatesPoller(stateReader.get(), config.states(),
                    options.clock(), Optional.ofNullable(statesExecutor));
            poller.addListener(states);
            registry.register(new org.pfmeter.exporter.prometheus.StatesCollector(states, config.maxLabelSeries()));
            if (config.jmx().enabled()) {
                mbeanServer = options.mbeanServer();
                mbeanServer.registerMBean(new org.pfmeter.exporter.jmx.StateTableBean(states),
                        org.pfmeter.exporter.jmx.StateTableBean.objectName());
            }
        }
        if (config.jmx().enabled()) {
            jmx = JmxPublisher.start(options.mbeanServer(), config.jmx(), poller, options.clock(), session.bootTime());
            if (config.jmx().remote().isPresent()) {
                try {
                    jmxRemote = JmxRemote.start(options.mbeanServer(), config.jmx().remote().get());
                } catch (IOException e) {
                    throw new IOException("cannot start remote JMX on " + config.jmx().remote().get().listen()
                            + " (jmx.remote.port, jmx.remote.bind): " + e.getMessage(), e);
                }
                LOG.info("remote JMX at {}{}", jmxRemote.clientUrl(), jmxRemote.tls() ? " (TLS)" : "");
            }
        }
        // one check of the billing users for every authenticated path: its bounds hold for all together
        Optional<org.pfmeter.exporter.http.Authenticator> users = config.accounting().credentials().isPresent()
                ? Optional.of(new org.pfmeter.exporter.http.Authenticator(
                        org.pfmeter.exporter.http.Credentials.load(config.accounting().credentials().get())))
                : Optional.empty();
        // Listen before the database is opened or migrated: a port already taken fails in a
        // second, before any file is created. Until the database is up no poll runs, so /-/ready
        // says not ready and billing paths answer 503 (to billing users, saying why).
        java.util.function.Supplier<org.pfmeter.exporter.http.BillingState> billing = () -> billingState(users);
        http = new HttpServer(config.listen(), registry, () -> poller.stats().successfulPolls() > 0, Version.get(),
                session.describe() + ", " + session.release().describe() + ", polled every "
                        + Durations.format(config.pollInterval()),
                billing, config.http().tls(), org.pfmeter.exporter.http.HttpLimits.DEFAULTS);
        // the pf families change only with a poll: rendered once per poll, not per scrape
        http.renderOncePerPoll(new org.pfmeter.exporter.http.SnapshotFamilies() {
            @Override
            public Object pin() {
                return pf.pin();
            }

            @Override
            public java.util.List<io.prometheus.client.Collector.MetricFamilySamples> collect(Object pin) {
                return pf.collect((PfMetrics.Pin) pin);
            }

            @Override
            public java.util.Set<String> familyNames() {
                return pf.familyNames();
            }
        });
        if (states != null && users.isPresent()) {
            // addresses: only behind the billing users' authentication
            http.addEndpoint(new org.pfmeter.exporter.http.StatesEndpoint(users.get(), states));
        }
        if (users.isPresent() && config.accounting().bills().isPresent()) {
            http.addEndpoint(new org.pfmeter.exporter.http.BillsEndpoint(users.get(),
                    () -> accounting == null ? Optional.empty() : accounting.bills(), billing, options.clock()));
            http.addEndpoint(new org.pfmeter.exporter.http.BillingPages(users.get(),
                    () -> accounting == null ? Optional.empty() : accounting.bills(), billing, options.clock()));
        }
        try {
            http.start();
        } catch (Exception e) {
            throw new IOException(listenFailure(config.listen(), e), e);
        }
        if (config.accounting().enabled()) {
            try {
                accounting = org.pfmeter.exporter.accounting.DaemonAccounting.open(config.accounting(), options.clock(), users);
            } catch (org.pfmeter.accounting.store.StoreException e) {
                throw new IOException("cannot open the accounting database (" + e.getMessage()
                        + "); fix it, or run without accounting: accounting.enabled = false", e);
            }
            poller.addListener(accounting);
            registry.register(new org.pfmeter.exporter.accounting.LedgerCollector(accounting::stats, accounting::damagedRowsMet));
            registry.register(new org.pfmeter.exporter.accounting.LedgerFileCollector(accounting::fileUpkeep, accounting::fileBytes));
            if (config.accounting().bills().isPresent()) {
                registry.register(new org.pfmeter.exporter.accounting.BillsCollector(accounting.billFigures()));
            }
        }
        // "serving" means everything is up (tests and operators wait for this line)
        LOG.info("serving {}", http.describe());
        if (options.schedulePolls()) {
            poller.start(scheduler);
        }
    }

    /**
     * Billing's state for the HTTP server: off without billing users or accounting; while the
     * accounting part is being opened (the daemon listens first), pending; then as it says.
     */
    private org.pfmeter.exporter.http.BillingState billingState(Optional<org.pfmeter.exporter.http.Authenticator> users) {
        org.pfmeter.exporter.accounting.DaemonAccounting a = accounting;
        if (a != null) {
            return a.billingState();
        }
        if (users.isEmpty() || !config.accounting().enabled()) {
            return org.pfmeter.exporter.http.BillingState.off();
        }
        return org.pfmeter.exporter.http.BillingState.pending(users.get(), "pfmeter is starting: the accounting database "
                + config.accounting().store().target() + " is being opened", Optional.empty());
    }

    /** What {@code run} says when the HTTP port cannot be had: the address, the cause, and the fix. */
    static String listenFailure(HostPort listen, Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException b) {
                String why = String.valueOf(b.getMessage());
                return why.toLowerCase(java.util.Locale.ROOT).contains("in use")
                        ? "cannot listen on " + listen + ": address already in use; another pfmeter? set listen (--listen) to a free port"
                        : "cannot listen on " + listen + ": " + why + "; set listen (--listen) to an address of this host";
            }
        }
        return "cannot listen on " + listen + " (listen, --listen): " + e.getMessage();
    }

    /** Adds a consumer of every snapshot (the accounting ledger's seam). */
    public void addSnapshotListener(SnapshotListener l) {
        poller.addListener(l);
    }

    public Poller poller() {
        return poller;
    }

    /** The state-table breakdown, unless states.enabled = false. */
    public Optional<org.pfmeter.exporter.poll.StatesPoller> states() {
        return Optional.ofNullable(states);
    }

    public PfSession session() {
        return session;
    }

    public CollectorRegistry registry() {
        return registry;
    }

    public int httpPort() {
        return http.port();
    }

    public Optional<JmxRemote> jmxRemote() {
        return Optional.ofNullable(jmxRemote);
    }

    public Config config() {
        return config;
    }

    /** The accounting part, when accounting is enabled. */
    public Optional<org.pfmeter.exporter.accounting.DaemonAccounting> accounting() {
        return Optional.ofNullable(accounting);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        poller.stop(SHUTDOWN_GRACE);
        scheduler.shutdownNow();
        if (statesExecutor != null) {
            statesExecutor.shutdownNow();
        }
        if (accounting != null) {
            accounting.close();
        }
        session.close();
        if (http != null) {
            try {
                http.stop();
            } catch (Exception e) {
                LOG.warn("stopping the HTTP server: {}", e.toString());
            }
        }
        if (jmxRemote != null) {
            try {
                jmxRemote.close();
            } catch (IOException e) {
                LOG.warn("stopping remote JMX: {}", e.toString());
            }
        }
        if (jmx != null) {
            jmx.close();
        }
        if (mbeanServer != null) {
            try {
                mbeanServer.unregisterMBean(org.pfmeter.exporter.jmx.StateTableBean.objectName());
            } catch (JMException e) {
                LOG.warn("unregistering the StateTable MBean: {}", e.toString());
            }
        }
        LOG.info("stopped");
    }
}
