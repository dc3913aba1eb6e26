package org.pfmeter.pf.abi.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pfmeter.pf.abi.netlink.HandFrame.concat;
import static org.pfmeter.pf.abi.netlink.HandFrame.genlmsg;
import static org.pfmeter.pf.abi.netlink.HandFrame.nested;
import static org.pfmeter.pf.abi.netlink.HandFrame.nlaStr;
import static org.pfmeter.pf.abi.netlink.HandFrame.nlaU32;
import static org.pfmeter.pf.abi.netlink.HandFrame.nlaU64;

import java.util.HexFormat;

import org.junit.jupiter.api.Test;
import org.pfmeter.pf.abi.MalformedAnswerException;
import org.pfmeter.pf.model.Direction;
import org.pfmeter.pf.model.TableAction;
import org.pfmeter.pf.model.TableStats;

/** One GET_TSTATS dump message as pf_handle_get_tstats writes it (pfSense's 15-based pf_nl.c). */
class PfnlTablesTest {

    static byte[] u64Array(int type, long... values) {
        byte[][] parts = new byte[values.length][];
        for (int i = 0; i < values.length; i++) {
            parts[i] = nlaU64(0, values[i]);
        }
        return nested(type, parts);
    }

    static byte[] table(String anchor, String name, long cnt) {
        return genlmsg(23, 0x2, 5, 29,
                nested(1, nlaStr(1, anchor), nlaStr(2, name), nlaU32(3, 0x45)),  // PF_TS_TABLE: anchor, name, flags
                u64Array(2, 10, 11, 12, 20, 21, 22),                            // PF_TS_PACKETS [in/out][block/pass/xpass]
                u64Array(3, 100, 110, 120, 200, 210, 220),                      // PF_TS_BYTES
                nlaU64(4, 7),                                                   // PF_TS_MATCH
                nlaU64(5, 8),                                                   // PF_TS_NOMATCH
                nlaU64(6, 1_764_000_000L),                                      // PF_TS_TZERO
                nlaU64(7, cnt),                                                 // PF_TS_CNT
                u64Array(8, 2, 1));                                             // PF_TS_REFCNT [rule, anchor]
    }

    @Test
    void decodesATableIntoTheModel() {
        TableStats t = PfnlTables.decode(NetlinkMessage.parseAll(table("ext/web", "blocklist", 12_345)).get(0));
        assertThat(t.anchor()).isEqualTo("ext/web");
        assertThat(t.name()).isEqualTo("blocklist");
        assertThat(t.flags()).isEqualTo(0x45);
        assertThat(t.flagLetters()).isEqualTo("-pa---C");
        assertThat(t.addresses()).isEqualTo(12_345);
        assertThat(t.match()).isEqualTo(7);
        assertThat(t.nomatch()).isEqualTo(8);
        assertThat(t.cleared()).isEqualTo(1_764_000_000L);
        assertThat(t.refRules()).isEqualTo(2);
        assertThat(t.refAnchors()).isEqualTo(1);
        // FreeBSD's [dir][block, pass, xpass] in the model's [dir][block, match, pass, xpass]
        assertThat(t.packets(Direction.IN, TableAction.BLOCK)).isEqualTo(10);
        assertThat(t.packets(Direction.IN, TableAction.PASS)).isEqualTo(11);
        assertThat(t.packets(Direction.IN, TableAction.XPASS)).isEqualTo(12);
        assertThat(t.packets(Direction.OUT, TableAction.BLOCK)).isEqualTo(20);
        assertThat(t.packets(Direction.OUT, TableAction.XPASS)).isEqualTo(22);
        assertThat(t.bytes(Direction.OUT, TableAction.PASS)).isEqualTo(210);
        assertThat(t.packets(Direction.IN, TableAction.MATCH)).as("FreeBSD has no PFR_OP_MATCH").isZero();
    }

    @Test
    void theRequestAsksForEveryRuleset() {
        // PF_T_ANCHOR "", PF_T_NAME "", PF_T_TABLE_FLAGS 0, PF_T_FLAGS PFR_FLAG_ALLRSETS (0x40)
        assertThat(HexFormat.of().formatHex(PfnlTables.request(23, 5))).isEqualTo(
                "34000000" + "1700" + "0503" + "05000000" + "00000000" + "1d000000"
                + "0500" + "0100" + "00000000" + "0500" + "0200" + "00000000"
                + "0800" + "0300" + "00000000" + "0800" + "0400" + "40000000");
    }

    @Test
    void refusesTheOpenBsdShapeOfTheCounters() {
        byte[] four = genlmsg(23, 0, 5, 29, nested(1, nlaStr(2, "t"), nlaU32(3, 0)),
                u64Array(2, 1, 2, 3, 4, 5, 6, 7, 8), u64Array(3, 1, 2, 3, 4, 5, 6), nlaU64(4, 0), nlaU64(5, 0),
                nlaU64(6, 0), nlaU64(7, 0), u64Array(8, 0, 0));
        assertThatThrownBy(() -> PfnlTables.decode(NetlinkMessage.parseAll(four).get(0)))
                .isInstanceOf(MalformedAnswerException.class).hasMessageContaining("holds 8 elements, at most 6 expected");
        byte[] noName = genlmsg(23, 0, 5, 29, concat(nested(1, nlaStr(1, "")), u64Array(8, 0, 0)));
        assertThatThrownBy(() -> PfnlTables.decode(NetlinkMessage.parseAll(noName).get(0)))
                .isInstanceOf(MalformedAnswerException.class).hasMessageContaining("no PF_T_NAME");
    }
}
