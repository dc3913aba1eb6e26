package org.pfmeter.pf.abi;

import static org.pfmeter.pf.abi.CType.INT;
import static org.pfmeter.pf.abi.CType.POINTER;
import static org.pfmeter.pf.abi.CType.TIME;
import static org.pfmeter.pf.abi.CType.U_INT32;
import static org.pfmeter.pf.abi.CType.U_INT64;
import static org.pfmeter.pf.abi.CType.U_INT8;
import static org.pfmeter.pf.abi.CType.array;
import static org.pfmeter.pf.abi.CType.chars;
import static org.pfmeter.pf.abi.PfConstants.PATH_MAX;
import static org.pfmeter.pf.abi.PfConstants.PFR_DIR_MAX;
import static org.pfmeter.pf.abi.PfConstants.PFR_OP_TABLE_MAX;
import static org.pfmeter.pf.abi.PfConstants.PFR_REFCNT_ANCHOR;
import static org.pfmeter.pf.abi.PfConstants.PFR_REFCNT_MAX;
import static org.pfmeter.pf.abi.PfConstants.PFR_REFCNT_RULE;
import static org.pfmeter.pf.abi.PfConstants.PF_TABLE_NAME_SIZE;

import java.nio.ByteBuffer;
import org.pfmeter.pf.model.TableStats;

/** struct pfr_tstats (elements of DIOCRGETTSTATS), with struct pfr_table and struct pfioc_table. */
public final class PfrTstats {

    static CStruct definePfrTable() {
        return CStruct.struct("pfr_table")
                .field("pfrt_anchor", chars(PATH_MAX))              // char [PATH_MAX]
                .field("pfrt_name", chars(PF_TABLE_NAME_SIZE))      // char [PF_TABLE_NAME_SIZE]
                .field("pfrt_flags", U_INT32)                       // u_int32_t
                .field("pfrt_fback", U_INT8)                        // u_int8_t
                .build();
    }

    static CStruct define(CStruct pfrTable) {
        return CStruct.struct("pfr_tstats")
                .field("pfrts_t", pfrTable)                                        // struct pfr_table
                .field("pfrts_packets", array(U_INT64, PFR_DIR_MAX, PFR_OP_TABLE_MAX)) // u_int64_t [2][4]
                .field("pfrts_bytes", array(U_INT64, PFR_DIR_MAX, PFR_OP_TABLE_MAX))   // u_int64_t [2][4]
                .field("pfrts_match", U_INT64)
                .field("pfrts_nomatch", U_INT64)
                .field("pfrts_tzero", TIME)                                        // time_t
                .field("pfrts_cnt", INT)                                           // int
                .field("pfrts_refcnt", array(INT, PFR_REFCNT_MAX))                 // int [PFR_REFCNT_MAX]
                .build();
    }

    static CStruct definePfiocTable(CStruct pfrTable) {
        return CStruct.struct("pfioc_table")
                .field("pfrio_table", pfrTable)      // struct pfr_table
                .field("pfrio_buffer", POINTER)      // void *
                .field("pfrio_esize", INT)           // int
                .field("pfrio_size", INT)            // int
                .field("pfrio_size2", INT)
                .field("pfrio_nadd", INT)
                .field("pfrio_ndel", INT)
                .field("pfrio_nchange", INT)
                .field("pfrio_flags", INT)
                .field("pfrio_ticket", U_INT32)      // u_int32_t
                .build();
    }

    private final CStruct layout;
    private final int anchor;
    private final int name;
    private final int flags;
    private final int packets;
    private final int bytes;
    private final int match;
    private final int nomatch;
    private final int tzero;
    private final int cnt;
    private final int refcnt;

    PfrTstats(CStruct layout) {
        this.layout = layout;
        anchor = layout.offset("pfrts_t", "pfrt_anchor");
        name = layout.offset("pfrts_t", "pfrt_name");
        flags = layout.offset("pfrts_t", "pfrt_flags");
        packets = layout.offset("pfrts_packets");
        bytes = layout.offset("pfrts_bytes");
        match = layout.offset("pfrts_match");
        nomatch = layout.offset("pfrts_nomatch");
        tzero = layout.offset("pfrts_tzero");
        cnt = layout.offset("pfrts_cnt");
        refcnt = layout.offset("pfrts_refcnt");
    }

    public CStruct layout() {
        return layout;
    }

    public int size() {
        return layout.size();
    }

    public TableStats decode(ByteBuffer b, int base) {
        return new TableStats(
                NativeBytes.cString(b, base + anchor, PATH_MAX),
                NativeBytes.cString(b, base + name, PF_TABLE_NAME_SIZE),
                NativeBytes.s32(b, base + flags),
                Integer.toUnsignedLong(NativeBytes.s32(b, base + cnt)),
                NativeBytes.u64(b, base + match),
                NativeBytes.u64(b, base + nomatch),
                PfStatus.u64s(b, base + packets, 8),
                PfStatus.u64s(b, base + bytes, 8),
                NativeBytes.u64(b, base + tzero),
                Integer.toUnsignedLong(NativeBytes.s32(b, base + refcnt + 4 * PFR_REFCNT_RULE)),
                Integer.toUnsignedLong(NativeBytes.s32(b, base + refcnt + 4 * PFR_REFCNT_ANCHOR)));
    }

    public void encode(TableStats t, ByteBuffer b, int base) {
        NativeBytes.putCString(b, base + anchor, PATH_MAX, t.anchor());
        NativeBytes.putCString(b, base + name, PF_TABLE_NAME_SIZE, t.name());
        NativeBytes.putU32(b, base + flags, t.flags());
        PfStatus.putU64s(b, base + packets, t.packets());
        PfStatus.putU64s(b, base + bytes, t.bytes());
        NativeBytes.putU64(b, base + match, t.match());
        NativeBytes.putU64(b, base + nomatch, t.nomatch());
        NativeBytes.putU64(b, base + tzero, t.cleared());
        NativeBytes.putU32(b, base + cnt, t.addresses());
        NativeBytes.putU32(b, base + refcnt + 4 * PFR_REFCNT_RULE, t.refRules());
        NativeBytes.putU32(b, base + refcnt + 4 * PFR_REFCNT_ANCHOR, t.refAnchors());
    }
}
