package org.pfmeter.pf.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pfmeter.pf.abi.IoctlCall;
import org.pfmeter.pf.abi.PfAbi;
import org.pfmeter.pf.abi.PfConstants;
import org.pfmeter.pf.abi.PfDevice;
import org.pfmeter.pf.model.LabelCounters;
import org.pfmeter.pf.model.PfSnapshot;
import org.pfmeter.pf.model.QueueStats;
import org.pfmeter.pf.model.TableStats;

/** The simulator can present labels, tables, queues and anchors with odd names (SimConfig.ODD_NAMES). */
class OddNamesTest {

    @Test
    void oddNamesArriveIntactAndEverythingElseIsUnchanged() {
        SimulatedPf plain = Sims.small();
        SimulatedPf odd = Sims.sim(SimConfig.defaults().withNames(SimConfig.ODD_NAMES));
        plain.advance(java.time.Duration.ofMinutes(10));
        odd.advance(java.time.Duration.ofMinutes(10));
        PfSnapshot p = Sims.reader(plain).poll();
        PfSnapshot o = Sims.reader(odd).poll();
        assertThat(o.complete()).as("%s", o.errors()).isTrue();

        Map<String, String> n = SimConfig.ODD_NAMES;
        assertThat(Sims.label(o, "", n.get("lan-web")).bytesIn()).isEqualTo(Sims.label(p, "", "lan-web").bytesIn());
        assertThat(Sims.label(o, "", n.get("dmz-https")).bytesOut()).isEqualTo(Sims.label(p, "", "dmz-https").bytesOut());
        assertThat(Sims.label(o, n.get("office"), n.get("office-web")).packetsIn())
                .isEqualTo(Sims.label(p, "office", "office-web").packetsIn());
        assertThat(o.labels().orElseThrow()).extracting(LabelCounters::label)
                .contains("ntp\nsecond line\ttab", "dns \"quoted\" back\\\\slash", "dmz\\xffhttps\\xc3", "smtp Grüße ✓");
        assertThat(o.rules().value().orElseThrow().anchors()).contains("off ice\"=", "customers/ac\\xe9me");
        assertThat(Sims.tables(o)).extracting(TableStats::name).contains("adm\"ins\\\\", "=print\\xfe");
        assertThat(Sims.tables(o)).filteredOn(t -> t.name().equals("acme-nets")).extracting(TableStats::anchor)
                .containsExactly("customers/ac\\xe9me");
        assertThat(Sims.queues(o)).extracting(QueueStats::name).contains("vo ip\"\\\\", "=bulk\nq");
        assertThat(Sims.queues(o)).filteredOn(q -> q.name().equals("cust-acme")).extracting(QueueStats::parent)
                .containsExactly("customers");
        // same firewall otherwise
        assertThat(Sims.rules(o)).hasSameSizeAs(Sims.rules(p));
        assertThat(o.labels().orElseThrow()).hasSameSizeAs(p.labels().orElseThrow());
        assertThat(Sims.status(o).counters()).isEqualTo(Sims.status(p).counters());
    }

    @Test
    void theKernelHoldsTheRawBytes() {
        SimulatedPf odd = Sims.sim(SimConfig.defaults().withNames(SimConfig.ODD_NAMES));
        PfAbi abi = odd.config().kernelRelease().abi();
        int label = abi.struct("pfioc_rule").offset("rule", "label");
        List<byte[]> labels = new ArrayList<>();
        PfDevice spy = new PfDevice() {
            @Override
            public int ioctl(IoctlCall call) {
                int errno = odd.ioctl(call);
                if (errno == 0 && call.name().equals("DIOCGETRULE")) {
                    ByteBuffer a = call.argument();
                    byte[] b = new byte[PfConstants.PF_RULE_LABEL_SIZE];
                    a.get(label, b);
                    labels.add(b);
                }
                return errno;
            }

            @Override
            public String kernelRelease() {
                return odd.kernelRelease();
            }

            @Override
            public String describe() {
                return "spy";
            }

            @Override
            public void close() {
            }
        };
        Sims.reader(odd).poll();
        new org.pfmeter.pf.PfReader(spy, odd.config().kernelRelease(), odd.clock()).poll();
        byte[] want = {'d', 'm', 'z', (byte) 0xff, 'h', 't', 't', 'p', 's', (byte) 0xc3, 0};
        assertThat(labels).anySatisfy(b -> assertThat(java.util.Arrays.copyOf(b, want.length)).isEqualTo(want));
        byte[] backslash = {'d', 'n', 's', ' ', '"', 'q', 'u', 'o', 't', 'e', 'd', '"', ' ', 'b', 'a', 'c', 'k', '\\', 's'};
        assertThat(labels).anySatisfy(b -> assertThat(java.util.Arrays.copyOf(b, backslash.length)).isEqualTo(backslash));
    }

    @Test
    void aNameThatIsNotDecodedTextIsRefused() {
        assertThatThrownBy(() -> Sims.sim(SimConfig.defaults().withNames(Map.of("lan-web", "a\\b"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lan-web");
    }
}
