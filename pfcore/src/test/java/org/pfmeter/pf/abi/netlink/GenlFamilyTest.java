package org.pfmeter.pf.abi.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pfmeter.pf.abi.netlink.HandFrame.genlmsg;
import static org.pfmeter.pf.abi.netlink.HandFrame.nested;
import static org.pfmeter.pf.abi.netlink.HandFrame.nlaStr;
import static org.pfmeter.pf.abi.netlink.HandFrame.nlaU16;
import static org.pfmeter.pf.abi.netlink.HandFrame.nlaU32;

import java.util.HexFormat;

import org.junit.jupiter.api.Test;
import org.pfmeter.pf.abi.MalformedAnswerException;

/** Resolving the "pfctl" family and reading which commands the kernel has, as netlink_generic.c answers. */
class GenlFamilyTest {

    /** An op entry as dump_family writes it: nested type = running index, OP_ID and OP_FLAGS inside. */
    private static byte[] op(int index, int cmd, int flags) {
        return nested(index, nlaU32(1, cmd), nlaU32(2, flags));
    }

    @Test
    void requestAsSnlGetGenlFamilySendsIt() {
        byte[] expected = HexFormat.of().parseHex((""
                + "20000000 1000 0500 03000000 00000000"   // len 32, GENL_ID_CTRL, REQUEST|ACK, seq 3
                + "03 00 0000"                             // CTRL_CMD_GETFAMILY
                + "0a00 0200 706663746c 00 0000"           // CTRL_ATTR_FAMILY_NAME "pfctl\0"
                ).replace(" ", ""));
        assertThat(HexFormat.of().formatHex(GenlFamily.request("pfctl", 3)))
                .isEqualTo(HexFormat.of().formatHex(expected));
    }

    @Test
    void decodesTheFamilyAndItsOperations() {
        // dump_family: NAME, ID (u16), VERSION, HDRSIZE, MAXATTR, then OPS; flags are the command's
        // GENL_CMD_CAP_* plus GENL_ADMIN_PERM because pf's commands need PRIV_NETINET_PF
        int dump = GenericNetlink.GENL_CMD_CAP_DUMP | GenericNetlink.GENL_CMD_CAP_HASPOL | GenericNetlink.GENL_ADMIN_PERM;
        byte[] reply = genlmsg(16, 0x5, 3, GenericNetlink.CTRL_CMD_NEWFAMILY,
                nlaStr(2, "pfctl"), nlaU16(1, 23), nlaU32(3, 0), nlaU32(4, 0), nlaU32(5, 47),
                nested(6, op(1, 1, 0xf), op(2, 6, dump), op(3, 7, dump), op(4, 11, dump), op(5, 18, dump)));
        GenlFamily f = GenlFamily.decode(NetlinkMessage.parseAll(reply).get(0));
        assertThat(f.name()).isEqualTo("pfctl");
        assertThat(f.id()).isEqualTo(23);
        assertThat(f.maxattr()).isEqualTo(47);
        assertThat(f.ops().keySet()).containsExactly(1, 6, 7, 11, 18);
        assertThat(f.ops().get(11)).isEqualTo(0xdL);
        assertThat(f.supports(PfNl.Cmd.PFNL_CMD_GET_STATUS)).isTrue();
        assertThat(f.supports(PfNl.Cmd.PFNL_CMD_GET_TSTATS)).isFalse();
    }

    @Test
    void refusesAnAnswerFromAnotherFamilyOrWithoutAnId() {
        byte[] notCtrl = genlmsg(23, 0, 3, 1, nlaStr(2, "pfctl"), nlaU16(1, 23));
        assertThatThrownBy(() -> GenlFamily.decode(NetlinkMessage.parseAll(notCtrl).get(0)))
                .isInstanceOf(MalformedAnswerException.class).hasMessageContaining("not the controller's 16");
        byte[] noId = genlmsg(16, 0, 3, 1, nlaStr(2, "pfctl"));
        assertThatThrownBy(() -> GenlFamily.decode(NetlinkMessage.parseAll(noId).get(0)))
                .isInstanceOf(MalformedAnswerException.class).hasMessageContaining("no CTRL_ATTR_FAMILY_ID");
        byte[] badId = genlmsg(16, 0, 3, 1, nlaStr(2, "pfctl"), nlaU16(1, 3));
        assertThatThrownBy(() -> GenlFamily.decode(NetlinkMessage.parseAll(badId).get(0)))
                .isInstanceOf(MalformedAnswerException.class).hasMessageContaining("has id 3, outside 16..1023");
    }
}
