package org.pfmeter.exporter.jmx;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import org.junit.jupiter.api.Test;
import org.pfmeter.exporter.config.JmxConfig;
import org.pfmeter.exporter.poll.BootTime;
import org.pfmeter.exporter.poll.PollStats;
import org.pfmeter.exporter.poll.Poller;
import org.pfmeter.exporter.poll.SnapshotHolder;
import org.pfmeter.pf.PfReader;
import org.pfmeter.pf.abi.AbiRelease;
import org.pfmeter.pf.model.PfSnapshot;
import org.pfmeter.pf.model.SourceLimiter;
import org.pfmeter.pf.model.StateLimiter;
import org.pfmeter.pf.sim.SimClock;
import org.pfmeter.pf.sim.SimConfig;
import org.pfmeter.pf.sim.SimulatedPf;

/** One MXBean per limiter, registered by JmxPublisher from each poll, through a real MBean server. */
class LimiterBeansTest {

    private static PfSnapshot poll(SimConfig config) {
        SimClock clock = SimClock.manual(Instant.parse("2026-11-02T10:00:00Z"));
        SimulatedPf pf = new SimulatedPf(config, clock);
        clock.advance(Duration.ofHours(2));
        return new PfReader(pf, config.kernelRelease(), clock).poll();
    }

    @Test
    void eachLimiterIsAnMxBeanWithTheSnapshotsValuesAndTheTopAddresses() throws Exception {
        MBeanServer server = MBeanServerFactory.newMBeanServer();
        PfSnapshot s = poll(SimConfig.defaults());
        Poller poller = new Poller(() -> s, java.time.Clock.systemUTC(), Duration.ofSeconds(10), new SnapshotHolder());
        JmxPublisher p = JmxPublisher.start(server, new JmxConfig(true, 80, 90, 5, Optional.empty()), poller,
                java.time.Clock.systemUTC(), BootTime.UNKNOWN);
        p.onSnapshot(s, PollStats.NONE);
        assertThat(server.queryNames(new ObjectName("org.pfmeter:type=StateLimiter,*"), null)).hasSize(3);
        StateLimiter lan = s.stateLimiters().value().orElseThrow().get(0);
        ObjectName n = JmxPublisher.stateLimiterName(lan.name());
        assertThat(server.getAttribute(n, "Id")).isEqualTo(1);
        assertThat(server.getAttribute(n, "Inuse")).isEqualTo(lan.inuse());
        assertThat(server.getAttribute(n, "Admitted")).isEqualTo(BigInteger.valueOf(lan.admitted()));
        SourceLimiter client = s.sourceLimiters().value().orElseThrow().get(0);
        ObjectName c = JmxPublisher.sourceLimiterName(client.name());
        assertThat(server.getAttribute(c, "SourceCount")).isEqualTo(client.sources().count());
        CompositeData[] top = (CompositeData[]) server.getAttribute(c, "TopSources");
        assertThat(top).hasSize(PfReader.DEFAULT_SOURCE_TOP);
        assertThat(top[0].get("address")).isEqualTo(client.sources().top().get(0).address());
        assertThat(top[0].get("inuse")).isEqualTo(client.sources().top().get(0).inuse());
        assertThat(top[0].get("af")).isEqualTo("inet");

        // a 7.8 kernel (say, after a downgrade) has none: the beans go away
        p.onSnapshot(poll(SimConfig.defaults().withRelease(AbiRelease.V7_8)), PollStats.NONE);
        assertThat(server.queryNames(new ObjectName("org.pfmeter:type=StateLimiter,*"), null)).isEmpty();
        assertThat(server.queryNames(new ObjectName("org.pfmeter:type=SourceLimiter,*"), null)).isEmpty();
        p.close();
    }
}
