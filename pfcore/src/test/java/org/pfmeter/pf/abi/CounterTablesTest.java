package org.pfmeter.pf.abi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.pfmeter.pf.model.KernelName;
import org.pfmeter.pf.model.LimitCounter;
import org.pfmeter.pf.model.PfLimit;
import org.pfmeter.pf.model.PfTimeout;
import org.pfmeter.pf.model.Reason;
import org.pfmeter.pf.model.TableOperation;

/**
 * Each counter enum has exactly the kernel's number of entries, in the kernel's order, with the
 * names of its name table (pfvar.h PFRES_NAMES and LCNT_NAMES, identical in 7.8 – 8.0; pfctl's
 * FCNT_NAMES; the PF_LIMIT_* and PFTM_* enums as pfctl names them). The counts are the headers'
 * PFRES_MAX = 17, LCNT_MAX = 10, FCNT/SCNT/NCNT_MAX = 3, PF_LIMIT_MAX = 7, PFTM_MAX = 20.
 */
class CounterTablesTest {

    private static String[] names(KernelName[] values) {
        return Arrays.stream(values).map(KernelName::kernelName).toArray(String[]::new);
    }

    @Test
    void reasonsArePfresNames() {
        assertThat(Reason.values()).hasSize(PfConstants.PFRES_MAX).hasSize(17);
        assertThat(names(Reason.values())).containsExactly("match", "bad-offset", "fragment", "short", "normalize",
                "memory", "bad-timestamp", "congestion", "ip-option", "proto-cksum", "state-mismatch", "state-insert",
                "state-limit", "src-limit", "synproxy", "translate", "no-route");
    }

    @Test
    void limitCountersAreLcntNames() {
        assertThat(LimitCounter.values()).hasSize(PfConstants.LCNT_MAX).hasSize(10);
        assertThat(names(LimitCounter.values())).containsExactly("max states per rule", "max-src-states",
                "max-src-nodes", "max-src-conn", "max-src-conn-rate", "overload table insertion",
                "overload flush states", "synfloods detected", "syncookies sent", "syncookies validated");
    }

    @Test
    void tableOperationsAreFcntNames() {
        assertThat(TableOperation.values()).hasSize(PfConstants.FCNT_MAX).hasSize(PfConstants.SCNT_MAX)
                .hasSize(PfConstants.NCNT_MAX).hasSize(3);
        assertThat(names(TableOperation.values())).containsExactly("searches", "inserts", "removals");
    }

    @Test
    void limitsAndTimeoutsFollowTheKernelEnums() {
        assertThat(PfLimit.values()).hasSize(PfConstants.PF_LIMIT_MAX).hasSize(7);
        assertThat(names(PfLimit.values())).containsExactly("states", "src-nodes", "frags", "tables", "table-entries",
                "pktdelay-pkts", "anchors");
        assertThat(PfTimeout.values()).hasSize(PfConstants.PFTM_MAX).hasSize(20);
        // PFTM_TCP_FIRST_PACKET … PFTM_TS_DIFF: tcp.tsdiff is last in the kernel's enum
        assertThat(PfTimeout.TS_DIFF.ordinal()).isEqualTo(19);
        assertThat(PfTimeout.SRC_NODE.ordinal()).isEqualTo(18);
        assertThat(PfTimeout.INTERVAL.ordinal()).isEqualTo(15);
        assertThat(PfTimeout.ADAPTIVE_START.isStateCount()).isTrue();
        assertThat(PfTimeout.TCP_ESTABLISHED.isStateCount()).isFalse();
    }

    @Test
    void arrayBoundsInTheLayoutsAreTheseCounts() {
        CStruct status = AbiRelease.V8_0.abi().struct("pf_status");
        assertThat(status.field("counters").size()).isEqualTo(8 * Reason.values().length);
        assertThat(status.field("lcounters").size()).isEqualTo(8 * LimitCounter.values().length);
        assertThat(status.field("fcounters").size()).isEqualTo(8 * TableOperation.values().length);
        assertThat(AbiRelease.V8_0.abi().struct("pf_rule").field("timeout").size()).isEqualTo(4 * PfTimeout.values().length);
    }
}
