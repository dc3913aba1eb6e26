package org.pfmeter.exporter.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pfmeter.exporter.Exposition;
import org.pfmeter.exporter.TestDaemon;
import org.pfmeter.exporter.jmx.JmxPublisher;
import org.pfmeter.pf.abi.AbiRelease;
import org.pfmeter.pf.abi.ForwardingPfDevice;
import org.pfmeter.pf.abi.IoctlCall;
import org.pfmeter.pf.abi.PfDevice;
import org.pfmeter.pf.model.InterfaceCounters;
import org.pfmeter.pf.model.PfSnapshot;
import org.pfmeter.pf.model.TableStats;
import org.pfmeter.pf.sim.SimConfig;
import org.pfmeter.pf.sim.SimScale;

/**
 * A kernel (or a trace) that gives one interface name or one table twice (issue 19): the daemon
 * exports the first of each once, counts the others in {@code pfmeter_duplicate_names}, and
 * JMX has one MBean per name; before, both went into /metrics as two series with the same labels,
 * which Prometheus refuses.
 */
class DuplicateNamesTest {

    @TempDir
    Path dir;

    @Test
    void aNameTheKernelGivesTwiceIsExportedOnceAndCounted() throws Exception {
        try (TestDaemon d = TestDaemon.start(Files.createDirectories(dir.resolve("data")), "accounting.enabled = false\n",
                new SimConfig(1, AbiRelease.V8_0, SimScale.SMALL), SecondEntryRepeatsTheFirst::new)) {
            PfSnapshot s = d.daemon.poller().pollOnce();
            List<InterfaceCounters> kifs = s.interfaces().value().orElseThrow();
            List<TableStats> tables = s.tables().value().orElseThrow();
            // what the device made the kernel say: entry 2 repeats entry 1
            assertThat(kifs.get(1).name()).isEqualTo(kifs.get(0).name());
            assertThat(List.of(tables.get(1).anchor(), tables.get(1).name()))
                    .isEqualTo(List.of(tables.get(0).anchor(), tables.get(0).name()));

            Exposition m = d.scrape();
            String kif = kifs.get(0).name();
            String kind = kifs.get(0).group() ? "group" : "interface";
            assertThat(m.samples("pf_interface_states")).filteredOn(x -> x.labels().get("interface").equals(kif)).hasSize(1);
            assertThat(m.value("pf_interface_states", "interface", kif, "kind", kind)).contains((double) kifs.get(0).states());
            assertThat(m.samples("pf_table_addresses")).filteredOn(x -> x.labels().get("table").equals(tables.get(0).name())
                    && x.labels().get("anchor").equals(tables.get(0).anchor())).hasSize(1);
            assertThat(m.samples("pf_interface_states")).hasSize(kifs.size() - 1);
            assertThat(m.samples("pf_table_addresses")).hasSize(tables.size() - 1);
            assertThat(m.value("pfmeter_duplicate_names", "subsystem", "interfaces")).contains(1.0);
            assertThat(m.value("pfmeter_duplicate_names", "subsystem", "tables")).contains(1.0);
            // no two samples with the same name and labels anywhere (Prometheus would refuse the scrape)
            Set<String> series = new HashSet<>();
            for (String line : d.get("/metrics").body().split("\n")) {
                if (!line.startsWith("#")) {
                    assertThat(series.add(line.substring(0, line.lastIndexOf(' ')))).as(line).isTrue();
                }
            }
            Set<ObjectName> beans = d.mbeans.queryNames(new ObjectName(JmxPublisher.DOMAIN + ":type=Interface,*"), null);
            assertThat(beans).hasSize(kifs.size() - 1);
        }
    }

    @Test
    void aSoundKernelHasNoDuplicates() throws Exception {
        try (TestDaemon d = TestDaemon.start(Files.createDirectories(dir.resolve("data")), "accounting.enabled = false\n")) {
            d.daemon.poller().pollOnce();
            Exposition m = d.scrape();
            assertThat(m.value("pfmeter_duplicate_names", "subsystem", "interfaces")).contains(0.0);
            assertThat(m.value("pfmeter_duplicate_names", "subsystem", "tables")).contains(0.0);
        }
    }

    /**
     * Overwrites the second entry of every full interface list (DIOCIGETIFACES without a filter)
     * and table list (DIOCRGETTSTATS) with the first, as a kernel giving one name twice would.
     * Offsets of OpenBSD 8.0's pfioc_iface and pfioc_table (AbiLayoutTest pins them).
     */
    static final class SecondEntryRepeatsTheFirst extends ForwardingPfDevice {
        SecondEntryRepeatsTheFirst(PfDevice device) {
            super(device);
        }

        @Override
        public int ioctl(IoctlCall call) {
            int r = delegate.ioctl(call);
            ByteBuffer a = call.argument();
            if (r == 0 && call.name().equals("DIOCIGETIFACES") && a.get(0) == 0) {
                repeatFirst(call.pointees().get(0).buffer(), a.getInt(24), a.getInt(28));
            } else if (r == 0 && call.name().equals("DIOCRGETTSTATS") && !call.pointees().isEmpty()) {
                ByteBuffer buf = call.pointees().get(0).buffer();
                int esize = a.getInt(1072);
                if (buf.capacity() >= 2 * esize) {
                    repeatFirst(buf, esize, a.getInt(1076));
                }
            }
            return r;
        }

        private static void repeatFirst(ByteBuffer buf, int esize, int n) {
            if (n >= 2) {
                for (int i = 0; i < esize; i++) {
                    buf.put(esize + i, buf.get(i));
                }
            }
        }
    }
}
