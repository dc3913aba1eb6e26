package org.pfmeter.exporter;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import org.pfmeter.exporter.config.Config;
import org.pfmeter.exporter.config.ConfigKey;
import org.pfmeter.exporter.config.ConfigLoader;
import org.pfmeter.exporter.poll.PfSession;
import org.pfmeter.pf.abi.AbiRelease;
import org.pfmeter.pf.abi.PfDevice;
import org.pfmeter.pf.sim.SimClock;
import org.pfmeter.pf.sim.SimConfig;
import org.pfmeter.pf.sim.SimScale;
import org.pfmeter.pf.sim.SimulatedPf;

/**
 * The real daemon on ephemeral ports over a simulated pf whose clock the test steps: nothing polls
 * unless the test calls {@code poller().pollOnce()}, so no test sleeps waiting for a poll. Polls the
 * test makes by hand also wait for the accounting ledger's writer thread to try what they handed it
 * ({@link org.pfmeter.exporter.accounting.DaemonAccounting#awaitIdle}), so the test reads the
 * database and the ledger metrics right after a poll, as if the poll had written them itself.
 */
public final class TestDaemon implements AutoCloseable {

    public static final Instant START = Instant.parse("2026-11-02T09:00:00Z");
    private static final Duration LEDGER_WAIT = Duration.ofSeconds(90);

    public final SimClock clock;
    public final SimulatedPf pf;
    public final MBeanServer mbeans;
    public final Daemon daemon;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TestDaemon(SimClock clock, SimulatedPf pf, MBeanServer mbeans, Daemon daemon) {
        this.clock = clock;
        this.pf = pf;
        this.mbeans = mbeans;
        this.daemon = daemon;
    }

    /** @param configText pfmeter.conf text; listen and data-dir are added */
    public static TestDaemon start(Path dataDir, String configText) throws Exception {
        return start(dataDir, configText, new SimConfig(1, AbiRelease.V8_0, SimScale.SMALL).withPfsync(true));
    }

    public static TestDaemon start(Path dataDir, String configText, SimConfig sim) throws Exception {
        return start(dataDir, configText, sim, UnaryOperator.identity(), false);
    }

    /** @param device wraps the simulated pf in what the daemon reads through (e.g. a counter of ioctls) */
    public static TestDaemon start(Path dataDir, String configText, SimConfig sim, UnaryOperator<PfDevice> device)
            throws Exception {
        return start(dataDir, configText, sim, device, false);
    }

    /**
     * @param device        wraps the simulator (tests: a device that fails on demand)
     * @param schedulePolls true: the daemon's own poller thread polls every poll.interval of real time
     */
    public static TestDaemon start(Path dataDir, String configText, SimConfig sim, UnaryOperator<PfDevice> device,
                                   boolean schedulePolls) throws Exception {
        SimClock clock = SimClock.manual(START);
        SimulatedPf pf = new SimulatedPf(sim, clock);
        clock.advance(Duration.ofHours(1));
        return start(dataDir, configText, clock, pf, device, schedulePolls, !schedulePolls);
    }

    /**
     * The daemon's own poller thread polls every poll.interval of real time over a simulator whose
     * clock runs by itself (e.g. {@link SimClock#scaled}), and nothing waits for the ledger's writer:
     * the daemon as it runs in production.
     */
    public static TestDaemon running(Path dataDir, String configText, SimulatedPf pf) throws Exception {
        return start(dataDir, configText, pf.clock(), pf, UnaryOperator.identity(), true, false);
    }

    /** A daemon started again over the same simulator and clock, polled by the test as {@link #start(Path, String)}'s. */
    public static TestDaemon restarted(Path dataDir, String configText, SimulatedPf pf) throws Exception {
        return start(dataDir, configText, pf.clock(), pf, UnaryOperator.identity(), false, true);
    }

    private static TestDaemon start(Path dataDir, String configText, SimClock clock, SimulatedPf pf,
                                    UnaryOperator<PfDevice> device, boolean schedulePolls, boolean awaitLedger)
            throws Exception {
        Config config = ConfigLoader.parse("test.conf", configText,
                Map.of(ConfigKey.LISTEN, "127.0.0.1:0", ConfigKey.DATA_DIR, dataDir.toString()));
        MBeanServer mbeans = MBeanServerFactory.newMBeanServer();
        PfSession session = PfSession.of(device.apply(pf), Optional.empty(), clock, config.source().addressTables());
        Daemon d = Daemon.start(config, new Daemon.Options(clock, mbeans, schedulePolls, Optional.of(session)));
        if (awaitLedger && d.accounting().isPresent()) {
            // runs after the accounting's own listener (added when the daemon started)
            d.addSnapshotListener((snapshot, stats) -> {
                try {
                    if (!d.accounting().get().awaitIdle(LEDGER_WAIT)) {
                        throw new IllegalStateException("the ledger writer did not finish within " + LEDGER_WAIT);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted waiting for the ledger writer", e);
                }
            });
        }
        return new TestDaemon(clock, pf, mbeans, d);
    }

    public HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + daemon.httpPort() + path))
                .timeout(Duration.ofSeconds(10));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    public Exposition scrape() throws IOException, InterruptedException {
        HttpResponse<String> r = get("/metrics");
        if (r.statusCode() != 200) {
            throw new AssertionError("/metrics answered " + r.statusCode());
        }
        return Exposition.parse(r.body());
    }

    @Override
    public void close() {
        daemon.close();
    }
}
