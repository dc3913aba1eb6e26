package org.pfmeter.pf.abi.netlink;

import static org.pfmeter.pf.abi.netlink.HandFrame.genlmsg;
import static org.pfmeter.pf.abi.netlink.HandFrame.nested;
import static org.pfmeter.pf.abi.netlink.HandFrame.nlaStr;
import static org.pfmeter.pf.abi.netlink.HandFrame.nlaU32;
import static org.pfmeter.pf.abi.netlink.HandFrame.nlaU64;

/** A GET_TSTATS dump message with a chosen sequence number (NLM_F_MULTI, as a dump's parts carry). */
final class PfnlTablesTestFrames {

    private PfnlTablesTestFrames() {
    }

    static byte[] table(long seq, String anchor, String name, long cnt) {
        return genlmsg(23, 0x2, seq, 29, nested(1, nlaStr(1, anchor), nlaStr(2, name), nlaU32(3, 0x04)),
                PfnlTablesTest.u64Array(2, 1, 2, 3, 4, 5, 6), PfnlTablesTest.u64Array(3, 1, 2, 3, 4, 5, 6),
                nlaU64(4, 0), nlaU64(5, 0), nlaU64(6, 0), nlaU64(7, cnt), PfnlTablesTest.u64Array(8, 1, 0));
    }
}
