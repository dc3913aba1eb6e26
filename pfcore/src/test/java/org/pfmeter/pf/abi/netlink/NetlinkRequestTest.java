package org.pfmeter.pf.abi.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;

import org.junit.jupiter.api.Test;

/** The writer against requests written out byte by byte, as libpfctl's snl writer lays them out. */
class NetlinkRequestTest {

    @Test
    void getRulesAsLibpfctlSendsIt() {
        // pfctl_get_rules_info_h: PFNL_CMD_GETRULES with NLM_F_REQUEST|NLM_F_ACK|NLM_F_DUMP,
        // PF_GR_ANCHOR "" (just the NUL) and PF_GR_ACTION u8 (PF_PASS = 0, the filter ruleset)
        byte[] expected = HexFormat.of().parseHex((""
                + "24000000 1700 0503 2a000000 00000000"   // len 36, family 23, flags 0x305, seq 42
                + "06 00 0000"                             // cmd 6, version 0
                + "0500 0100 00 000000"                    // PF_GR_ANCHOR ""
                + "0500 0200 00 000000"                    // PF_GR_ACTION 0
                ).replace(" ", ""));
        byte[] written = NetlinkRequest.genl(23, PfNl.Cmd.PFNL_CMD_GETRULES, 0,
                        Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK | Netlink.NLM_F_DUMP, 42)
                .putString(PfNl.GetRules.PF_GR_ANCHOR, "")
                .putU8(PfNl.GetRules.PF_GR_ACTION, 0)
                .toBytes();
        assertThat(HexFormat.of().formatHex(written)).isEqualTo(HexFormat.of().formatHex(expected));
    }

    @Test
    void everyWidthAndNesting() {
        byte[] written = NetlinkRequest.genl(23, 29, 0, Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK, 1)
                .putU16(1, 258)
                .putU32(2, 0x12345678L)
                .putU64(3, 0x0102030405060708L)
                .beginNested(4)
                .putString(1, "anchor")
                .putU32(2, 7)
                .endNested()
                .toBytes();
        byte[] expected = HexFormat.of().parseHex((""
                + "48000000 1700 0500 01000000 00000000"   // len 72, family 23, flags REQUEST|ACK, seq 1
                + "1d 00 0000"                             // cmd 29, version 0
                + "0600 0100 0201 0000"                    // u16 258, 2 bytes padding
                + "0800 0200 78563412"                     // u32 0x12345678
                + "0c00 0300 0807060504030201"             // u64 0x0102030405060708
                + "1800 0400"                              // nested, nla_len 24 covers both inside
                + "  0b00 0100 616e63686f7200 00"          //   "anchor\0", 1 byte padding
                + "  0800 0200 07000000"                   //   u32 7
                ).replace(" ", ""));
        assertThat(HexFormat.of().formatHex(written)).isEqualTo(HexFormat.of().formatHex(expected));
        NlAttrs back = NetlinkMessage.parseAll(written).get(0).attributes("request").get(3).nested();
        assertThat(back.get(0).string()).isEqualTo("anchor");
        assertThat(back.get(1).u32()).isEqualTo(7);
    }

    @Test
    void unendedNestingIsAProgrammingError() {
        NetlinkRequest r = NetlinkRequest.genl(23, 29, 0, 1, 1).beginNested(1);
        assertThatThrownBy(r::toBytes).isInstanceOf(IllegalStateException.class).hasMessageContaining("not ended");
    }
}
