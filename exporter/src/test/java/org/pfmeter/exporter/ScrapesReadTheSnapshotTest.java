package org.pfmeter.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.MBeanAttributeInfo;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pfmeter.pf.abi.AbiRelease;
import org.pfmeter.pf.abi.ForwardingPfDevice;
import org.pfmeter.pf.abi.IoctlCall;
import org.pfmeter.pf.abi.PfDevice;
import org.pfmeter.pf.sim.SimConfig;
import org.pfmeter.pf.sim.SimScale;

/**
 * A scrape never reaches pf: /metrics (and the MXBeans) serve the last poll's snapshot, so however
 * many Prometheus servers scrape however often, /dev/pf sees only the poller's ioctls.
 */
class ScrapesReadTheSnapshotTest {

    @TempDir
    Path dir;

    /** Passes every call through and counts the ioctls. */
    static final class CountingDevice extends ForwardingPfDevice {
        final AtomicLong ioctls = new AtomicLong();

        CountingDevice(PfDevice inner) {
            super(inner);
        }

        @Override
        public int ioctl(IoctlCall call) {
            ioctls.incrementAndGet();
            return delegate.ioctl(call);
        }
    }

    @Test
    void scrapingBetweenPollsIssuesNoIoctl() throws Exception {
        CountingDevice[] device = new CountingDevice[1];
        try (TestDaemon d = TestDaemon.start(dir, "accounting.enabled = false\n", new SimConfig(1, AbiRelease.V8_0, SimScale.SMALL),
                pf -> device[0] = new CountingDevice(pf))) {
            d.daemon.poller().pollOnce();
            long afterPoll = device[0].ioctls.get();
            assertThat(afterPoll).as("a poll reads pf").isPositive();

            for (int i = 0; i < 50; i++) {
                d.clock.advance(Duration.ofSeconds(1));
                assertThat(d.scrape().value("pf_up")).contains(1.0);
                assertThat(d.get("/metrics?name[]=pf_label_bytes_total").statusCode()).isEqualTo(200);
                assertThat(d.get("/metrics", "Accept", "application/openmetrics-text; version=1.0.0").statusCode()).isEqualTo(200);
            }
            for (ObjectName bean : d.mbeans.queryNames(new ObjectName("org.pfmeter:*"), null)) {
                for (MBeanAttributeInfo a : d.mbeans.getMBeanInfo(bean).getAttributes()) {
                    d.mbeans.getAttribute(bean, a.getName());
                }
            }
            assertThat(device[0].ioctls.get()).as("ioctls after 150 scrapes and reading every MXBean").isEqualTo(afterPoll);

            d.daemon.poller().pollOnce();
            assertThat(device[0].ioctls.get()).as("the next poll reads pf again").isGreaterThan(afterPoll);
        }
    }
}
