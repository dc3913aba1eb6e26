package org.pfmeter.pf.abi.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pfmeter.pf.abi.netlink.HandFrame.genlmsg;
import static org.pfmeter.pf.abi.netlink.HandFrame.nlaU32;

import java.util.HexFormat;

import org.junit.jupiter.api.Test;
import org.pfmeter.pf.abi.MalformedAnswerException;

/** GET_LIMIT and GET_TIMEOUT: one u32 index asked, one u32 answered (pf_handle_get_limit/_timeout). */
class PfnlScalarsTest {

    @Test
    void requestsCarryTheIndexAsLibpfctlSendsIt() {
        // nlmsghdr (len 28, family 23, REQUEST|ACK|DUMP, seq 9), genlmsghdr (cmd 18), PF_LI_INDEX (1) = 3
        assertThat(HexFormat.of().formatHex(PfnlScalars.getLimit(23, 9, 3)))
                .isEqualTo("1c000000" + "1700" + "0503" + "09000000" + "00000000" + "12000000" + "0800" + "0100" + "03000000");
        // cmd 16, PF_TO_TIMEOUT (1) = 19 (PFTM_TS_DIFF)
        assertThat(HexFormat.of().formatHex(PfnlScalars.getTimeout(23, 10, 19)))
                .isEqualTo("1c000000" + "1700" + "0503" + "0a000000" + "00000000" + "10000000" + "0800" + "0100" + "13000000");
    }

    @Test
    void decodesTheValue() {
        byte[] limit = genlmsg(23, 0, 9, 18, nlaU32(2, 0xffff_ffffL));          // PF_LI_LIMIT, unlimited
        assertThat(PfnlScalars.decodeLimit(NetlinkMessage.parseAll(limit).get(0))).isEqualTo(4_294_967_295L);
        byte[] timeout = genlmsg(23, 0, 10, 16, nlaU32(2, 86_400));             // PF_TO_SECONDS
        assertThat(PfnlScalars.decodeTimeout(NetlinkMessage.parseAll(timeout).get(0))).isEqualTo(86_400);
    }

    @Test
    void refusesAnAnswerWithoutTheValueOrForAnotherCommand() {
        byte[] empty = genlmsg(23, 0, 9, 18);
        assertThatThrownBy(() -> PfnlScalars.decodeLimit(NetlinkMessage.parseAll(empty).get(0)))
                .isInstanceOf(MalformedAnswerException.class).hasMessageContaining("no PF_LI_LIMIT attribute (type 2)");
        byte[] other = genlmsg(23, 0, 9, 16, nlaU32(2, 1));
        assertThatThrownBy(() -> PfnlScalars.decodeLimit(NetlinkMessage.parseAll(other).get(0)))
                .isInstanceOf(MalformedAnswerException.class).hasMessageContaining("genlmsghdr.cmd is 16, not 18");
    }

    @Test
    void freeBsdsLimitTableIsPinned() {
        // sys/netpfil/pf/pf.h: enum { PF_LIMIT_STATES, PF_LIMIT_SRC_NODES, PF_LIMIT_FRAGS, PF_LIMIT_TABLE_ENTRIES, ... }
        assertThat(PfnlScalars.FREEBSD_LIMITS).containsExactly("states", "src-nodes", "frags", "table-entries");
    }
}
