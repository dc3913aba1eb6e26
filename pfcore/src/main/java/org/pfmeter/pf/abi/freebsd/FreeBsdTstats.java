package org.pfmeter.pf.abi.freebsd;

import java.nio.ByteBuffer;
import org.pfmeter.pf.abi.CStruct;
import org.pfmeter.pf.abi.NativeBytes;
import org.pfmeter.pf.model.Direction;
import org.pfmeter.pf.model.TableAction;
import org.pfmeter.pf.model.TableStats;

/**
 * FreeBSD's {@code struct pfr_tstats}, the elements of DIOCRGETTSTATS. Its counters are
 * {@code [PFR_DIR_MAX][PFR_OP_TABLE_MAX]} with FreeBSD's operations (block, pass, xpass = ADDR_MAX),
 * placed by meaning into the model's [dir][block, match, pass, xpass] as {@code PfnlTables} does for
 * the netlink answer; the model's MATCH column stays 0 (FreeBSD has no such operation).
 */
public final class FreeBsdTstats {

    public static final CStruct LAYOUT = FreeBsdStructs.PFR_TSTATS;
    public static final int SIZE = LAYOUT.size();
    private static final int ANCHOR = LAYOUT.offset("pfrts_t", "pfrt_anchor");
    private static final int NAME = LAYOUT.offset("pfrts_t", "pfrt_name");
    private static final int TFLAGS = LAYOUT.offset("pfrts_t", "pfrt_flags");
    private static final int PACKETS = LAYOUT.offset("pfrts_packets");
    private static final int BYTES = LAYOUT.offset("pfrts_bytes");
    private static final int MATCH = LAYOUT.offset("pfrts_match");
    private static final int NOMATCH = LAYOUT.offset("pfrts_nomatch");
    private static final int TZERO = LAYOUT.offset("pfrts_tzero");
    private static final int CNT = LAYOUT.offset("pfrts_cnt");
    private static final int REFCNT = LAYOUT.offset("pfrts_refcnt");
    private static final int OPS = FreeBsdStructs.PFR_OP_TABLE_MAX;

    private FreeBsdTstats() {
    }

    public static TableStats decode(ByteBuffer b, int base) {
        long[] p = new long[8];
        long[] y = new long[8];
        for (Direction d : Direction.values()) {
            int from = base + d.ordinal() * OPS * 8;
            int to = d.ordinal() * 4;
            p[to + TableAction.BLOCK.ordinal()] = NativeBytes.u64(b, PACKETS + from + FreeBsdStructs.PFR_OP_BLOCK * 8);
            p[to + TableAction.PASS.ordinal()] = NativeBytes.u64(b, PACKETS + from + FreeBsdStructs.PFR_OP_PASS * 8);
            p[to + TableAction.XPASS.ordinal()] = NativeBytes.u64(b, PACKETS + from + FreeBsdStructs.PFR_OP_XPASS * 8);
            y[to + TableAction.BLOCK.ordinal()] = NativeBytes.u64(b, BYTES + from + FreeBsdStructs.PFR_OP_BLOCK * 8);
            y[to + TableAction.PASS.ordinal()] = NativeBytes.u64(b, BYTES + from + FreeBsdStructs.PFR_OP_PASS * 8);
            y[to + TableAction.XPASS.ordinal()] = NativeBytes.u64(b, BYTES + from + FreeBsdStructs.PFR_OP_XPASS * 8);
        }
        return new TableStats(
                NativeBytes.cString(b, base + ANCHOR, FreeBsdStructs.MAXPATHLEN),
                NativeBytes.cString(b, base + NAME, FreeBsdStructs.PF_TABLE_NAME_SIZE),
                NativeBytes.s32(b, base + TFLAGS),
                NativeBytes.u32(b, base + CNT),
                NativeBytes.u64(b, base + MATCH),
                NativeBytes.u64(b, base + NOMATCH),
                p, y,
                NativeBytes.u64(b, base + TZERO),
                NativeBytes.u32(b, base + REFCNT),
                NativeBytes.u32(b, base + REFCNT + 4));
    }

    /** Writes an element as pfr_get_tstats() copies one out (the model's MATCH column has no place). */
    public static void encode(TableStats t, ByteBuffer b, int base) {
        for (int i = 0; i < SIZE; i++) {
            b.put(base + i, (byte) 0);
        }
        NativeBytes.putCString(b, base + ANCHOR, FreeBsdStructs.MAXPATHLEN, t.anchor());
        NativeBytes.putCString(b, base + NAME, FreeBsdStructs.PF_TABLE_NAME_SIZE, t.name());
        NativeBytes.putU32(b, base + TFLAGS, t.flags());
        for (Direction d : Direction.values()) {
            int at = base + d.ordinal() * OPS * 8;
            NativeBytes.putU64(b, PACKETS + at + FreeBsdStructs.PFR_OP_BLOCK * 8, t.packets(d, TableAction.BLOCK));
            NativeBytes.putU64(b, PACKETS + at + FreeBsdStructs.PFR_OP_PASS * 8, t.packets(d, TableAction.PASS));
            NativeBytes.putU64(b, PACKETS + at + FreeBsdStructs.PFR_OP_XPASS * 8, t.packets(d, TableAction.XPASS));
            NativeBytes.putU64(b, BYTES + at + FreeBsdStructs.PFR_OP_BLOCK * 8, t.bytes(d, TableAction.BLOCK));
            NativeBytes.putU64(b, BYTES + at + FreeBsdStructs.PFR_OP_PASS * 8, t.bytes(d, TableAction.PASS));
            NativeBytes.putU64(b, BYTES + at + FreeBsdStructs.PFR_OP_XPASS * 8, t.bytes(d, TableAction.XPASS));
        }
        NativeBytes.putU64(b, base + MATCH, t.match());
        NativeBytes.putU64(b, base + NOMATCH, t.nomatch());
        NativeBytes.putU64(b, base + TZERO, t.cleared());
        NativeBytes.putU32(b, base + CNT, t.addresses());
        NativeBytes.putU32(b, base + REFCNT, t.refRules());
        NativeBytes.putU32(b, base + REFCNT + 4, t.refAnchors());
    }
}
