package org.pfmeter.pf.states;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.pfmeter.pf.abi.PfsyncState;
import org.pfmeter.pf.model.StateTableBreakdown;
import org.pfmeter.pf.model.TcpState;

class StateNamesTest {

    @Test
    void tcpStatesAreTcpFsmsTableInItsOrder() {
        assertThat(TcpState.values()).hasSize(PfsyncState.TCP_NSTATES);
        assertThat(TcpState.ESTABLISHED.ordinal()).isEqualTo(4);      // TCPS_ESTABLISHED
        assertThat(TcpState.TIME_WAIT.ordinal()).isEqualTo(10);       // TCPS_TIME_WAIT
        assertThat(TcpState.pair(4, 4)).isEqualTo("ESTABLISHED:ESTABLISHED");
        assertThat(TcpState.pair(0, 2)).isEqualTo("CLOSED:SYN_SENT");
        assertThat(TcpState.pair(11, 1)).isEqualTo("PROXY:SRC");
        assertThat(TcpState.pair(4, 12)).isEqualTo("PROXY:DST");
        assertThat(TcpState.pair(40, 4)).isEqualTo("BAD");
    }

    @Test
    void addressesArePrintedAsInetNtopDoes() {
        // 192.0.2.7 as it lies in pf_addr (network order) read little-endian
        assertThat(StateAggregator.address(0, 0x0702_00c0L, 0)).isEqualTo("192.0.2.7");
        assertThat(StateTableBreakdown.compressIpv6("2001:db8:0:0:0:0:0:1")).isEqualTo("2001:db8::1");
        assertThat(StateTableBreakdown.compressIpv6("0:0:0:0:0:0:0:1")).isEqualTo("::1");
        assertThat(StateTableBreakdown.compressIpv6("2001:db8:0:1:0:0:0:0")).isEqualTo("2001:db8:0:1::");
        assertThat(StateTableBreakdown.compressIpv6("2001:db8:0:1:1:0:0:1")).isEqualTo("2001:db8:0:1:1::1");
        assertThat(StateTableBreakdown.compressIpv6("2001:0:0:1:0:0:0:1")).isEqualTo("2001:0:0:1::1");
    }

    @Test
    void theAddressTableCountsExactlyUntilFullThenCountsTheRestAsUntracked() {
        KeyTable t = new KeyTable(3);
        for (int i = 0; i < 5; i++) {
            t.add(i % 4, 0, 0, 10);
        }
        assertThat(t.size()).isEqualTo(3);
        assertThat(t.untracked()).isEqualTo(1);
        int[] top = t.top(2, false);
        assertThat(t.a(top[0])).isZero();
        assertThat(t.states(top[0])).isEqualTo(2);
        assertThat(t.bytes(top[0])).isEqualTo(20);
        assertThat(top).hasSize(2);
        assertThat(t.states(top[1])).isEqualTo(1);
        // the same key with another tag is another key
        t.clear();
        t.add(7, 0, 0, 1);
        t.add(7, 0, 1, 1);
        t.add(7, 0, 0, 1);
        assertThat(t.size()).isEqualTo(2);
        assertThat(t.states(t.top(1, false)[0])).isEqualTo(2);
    }
}
