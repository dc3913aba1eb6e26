package org.pfmeter.pf.abi;

import static org.pfmeter.pf.abi.CType.INT;
import static org.pfmeter.pf.abi.CType.POINTER;
import static org.pfmeter.pf.abi.CType.SA_FAMILY;
import static org.pfmeter.pf.abi.CType.SIZE;
import static org.pfmeter.pf.abi.CType.U_INT16;
import static org.pfmeter.pf.abi.CType.U_INT32;
import static org.pfmeter.pf.abi.CType.U_INT64;
import static org.pfmeter.pf.abi.CType.U_INT8;
import static org.pfmeter.pf.abi.CType.array;
import static org.pfmeter.pf.abi.CType.chars;
import static org.pfmeter.pf.abi.PfConstants.IFNAMSIZ;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * struct pfsync_state, the element of DIOCGETSTATES' buffer (pfvar.h 1.543 and 1.548 declare it
 * identically; if_pfsync.h only uses it), and struct pfioc_states. The kernel fills it in
 * pf_state_export(): most multi-byte fields are in network byte order ({@code rule}, {@code anchor},
 * {@code creation}, {@code expire}, {@code rtableid}, {@code max_mss}, {@code state_flags}, the key's
 * {@code rdomain}), and the 64-bit packet and byte counters are split into two big-endian 32-bit
 * halves, high first (pf_state_counter_hton). The struct is {@code __packed}, but every member already
 * sits at its natural alignment, so the amd64 layout equals the packed one (264 bytes; pinned by tests).
 *
 * <p>The accessors read one element in place at {@code base} and allocate nothing, so a state table
 * of any size is walked without an object per state.
 */
public final class PfsyncState {

    /** tcp_fsm.h TCPS_TIME_WAIT: the last real TCP state; pf adds PF_TCPS_PROXY_SRC/DST after TCP_NSTATES. */
    public static final int TCP_NSTATES = 11;
    /** pfvar.h PF_IN, PF_OUT. */
    public static final int PF_IN = 1;
    public static final int PF_OUT = 2;
    /** {@code rule}/{@code anchor} when the state has none (htonl(-1)). */
    public static final long NO_RULE = 0xffff_ffffL;

    static List<CStruct> defineAll() {
        CStruct scrub = CStruct.struct("pfsync_state_scrub")
                .field("pfss_flags", U_INT16)          // u_int16_t
                .field("pfss_ttl", U_INT8)             // u_int8_t
                .field("scrub_flag", U_INT8)           // u_int8_t
                .field("pfss_ts_mod", U_INT32)         // u_int32_t
                .build();
        CStruct peer = CStruct.struct("pfsync_state_peer")
                .field("scrub", scrub)                 // struct pfsync_state_scrub
                .field("seqlo", U_INT32)
                .field("seqhi", U_INT32)
                .field("seqdiff", U_INT32)
                .field("max_win", U_INT16)
                .field("mss", U_INT16)
                .field("state", U_INT8)                // TCPS_* / PFUDPS_* / PFOTHERS_*
                .field("wscale", U_INT8)
                .field("pad", array(U_INT8, 6))
                .build();
        CStruct key = CStruct.struct("pfsync_state_key")
                .field("addr", array(PfRuleParts.PF_ADDR, 2))   // struct pf_addr addr[2]
                .field("port", array(U_INT16, 2))               // u_int16_t port[2], network order
                .field("rdomain", U_INT16)
                .field("af", SA_FAMILY)
                .field("pad", U_INT8)
                .build();
        CStruct state = CStruct.struct("pfsync_state")
                .field("id", U_INT64)
                .field("ifname", chars(IFNAMSIZ))
                .field("key", array(key, 2))                    // [PF_SK_WIRE], [PF_SK_STACK]
                .field("src", peer)
                .field("dst", peer)
                .field("rt_addr", PfRuleParts.PF_ADDR)
                .field("rule", U_INT32)
                .field("anchor", U_INT32)
                .field("nat_rule", U_INT32)
                .field("creation", U_INT32)                     // age in seconds
                .field("expire", U_INT32)                       // seconds left
                .field("packets", array(U_INT32, 2, 2))
                .field("bytes", array(U_INT32, 2, 2))
                .field("creatorid", U_INT32)
                .field("rtableid", array(INT, 2))               // int32_t [2]
                .field("max_mss", U_INT16)
                .field("af", SA_FAMILY)
                .field("proto", U_INT8)
                .field("direction", U_INT8)
                .field("log", U_INT8)
                .field("rt", U_INT8)
                .field("timeout", U_INT8)
                .field("sync_flags", U_INT8)
                .field("updates", U_INT8)
                .field("min_ttl", U_INT8)
                .field("set_tos", U_INT8)
                .field("state_flags", U_INT16)
                .field("set_prio", array(U_INT8, 2))
                .build();
        CStruct ioc = CStruct.struct("pfioc_states")
                .field("ps_len", SIZE)                          // size_t: buffer bytes in, bytes used out
                .field("ps_u", POINTER)                         // union { caddr_t psu_buf; struct pfsync_state *psu_states; }
                .build();
        return List.of(scrub, peer, key, state, ioc);
    }

    private final int size;
    public final int psLen;
    public final int psBuf;
    private final int ifname;
    private final int wireAddr0;
    private final int wireAddr1;
    private final int wirePort0;
    private final int wirePort1;
    private final int srcState;
    private final int dstState;
    private final int rule;
    private final int anchor;
    private final int creation;
    private final int expire;
    private final int packets;
    private final int bytes;
    private final int af;
    private final int proto;
    private final int direction;
    private final int keySize;

    PfsyncState(CStruct layout, CStruct pfiocStates) {
        this.size = layout.size();
        this.psLen = pfiocStates.offset("ps_len");
        this.psBuf = pfiocStates.offset("ps_u");
        this.ifname = layout.offset("ifname");
        CStruct key = (CStruct) ((CType.Array) layout.field("key").type()).element();
        this.keySize = key.size();
        int wire = layout.offset("key");
        this.wireAddr0 = wire + key.offset("addr");
        this.wireAddr1 = wireAddr0 + PfRuleParts.PF_ADDR.size();
        this.wirePort0 = wire + key.offset("port");
        this.wirePort1 = wirePort0 + 2;
        this.srcState = layout.offset("src", "state");
        this.dstState = layout.offset("dst", "state");
        this.rule = layout.offset("rule");
        this.anchor = layout.offset("anchor");
        this.creation = layout.offset("creation");
        this.expire = layout.offset("expire");
        this.packets = layout.offset("packets");
        this.bytes = layout.offset("bytes");
        this.af = layout.offset("af");
        this.proto = layout.offset("proto");
        this.direction = layout.offset("direction");
        // the combined reads below rely on these neighbours (pinned per release by AbiLayoutTest)
        if (anchor != rule + 4 || proto != af + 1 || direction != af + 2 || af + 4 > size) {
            throw new IllegalStateException("struct pfsync_state: rule/anchor or af/proto/direction are not adjacent");
        }
    }

    /** sizeof(struct pfsync_state). */
    public int size() {
        return size;
    }

    /** The stack key's offset from the wire key's (key[PF_SK_STACK] follows key[PF_SK_WIRE]). */
    public int keySize() {
        return keySize;
    }

    private static long ntohl(ByteBuffer b, int off) {
        return Integer.toUnsignedLong(Integer.reverseBytes(b.getInt(off)));
    }

    /** The first 8 and the second 8 bytes of {@code ifname} (NUL padded: two longs name it exactly). */
    public long ifnameLow(ByteBuffer b, int base) {
        return b.getLong(base + ifname);
    }

    public long ifnameHigh(ByteBuffer b, int base) {
        return b.getLong(base + ifname + 8);
    }

    /** {@code ifname} as text; one that fills its array without a NUL is malformed. */
    public String ifname(ByteBuffer b, int base) {
        return NativeBytes.cString(b, base + ifname, IFNAMSIZ);
    }

    /** The rule's number within its ruleset, or {@link #NO_RULE}. */
    public long rule(ByteBuffer b, int base) {
        return ntohl(b, base + rule);
    }

    /** The number of the anchor rule the state was created under, or {@link #NO_RULE}. */
    public long anchor(ByteBuffer b, int base) {
        return ntohl(b, base + anchor);
    }

    /** Age in seconds (getuptime() − creation). */
    public long creation(ByteBuffer b, int base) {
        return ntohl(b, base + creation);
    }

    public long expire(ByteBuffer b, int base) {
        return ntohl(b, base + expire);
    }

    /** packets[dir] or bytes[dir] (0 = in, 1 = out) as the 64-bit counter pf_state_counter_ntoh() gives. */
    private static long counter(ByteBuffer b, int off) {
        return (ntohl(b, off) << 32) | ntohl(b, off + 4);
    }

    public long packets(ByteBuffer b, int base, int dir) {
        return counter(b, base + packets + 8 * dir);
    }

    public long bytes(ByteBuffer b, int base, int dir) {
        return counter(b, base + bytes + 8 * dir);
    }

    /**
     * {@code rule} and {@code anchor} in one read: the rule number in the high 32 bits, the anchor
     * rule's in the low 32 (both as {@link #rule} and {@link #anchor} give them).
     */
    public long ruleAndAnchor(ByteBuffer b, int base) {
        return Long.reverseBytes(b.getLong(base + rule));     // two adjacent big-endian u_int32_t
    }

    /** bytes[0] + bytes[1] (modulo 2^64, as unsigned counters add), two reads. */
    public long bytesBothWays(ByteBuffer b, int base) {
        // pf_state_counter_hton() writes the high half first, both big-endian: a big-endian 64-bit value
        return Long.reverseBytes(b.getLong(base + bytes)) + Long.reverseBytes(b.getLong(base + bytes + 8));
    }

    /** {@code af} in bits 0–7, {@code proto} in 8–15 and {@code direction} in 16–23, in one read. */
    public int afProtoDirection(ByteBuffer b, int base) {
        return b.getInt(base + af) & 0xff_ffff;
    }

    public int af(ByteBuffer b, int base) {
        return NativeBytes.u8(b, base + af);
    }

    public int proto(ByteBuffer b, int base) {
        return NativeBytes.u8(b, base + proto);
    }

    public int direction(ByteBuffer b, int base) {
        return NativeBytes.u8(b, base + direction);
    }

    public int srcState(ByteBuffer b, int base) {
        return NativeBytes.u8(b, base + srcState);
    }

    public int dstState(ByteBuffer b, int base) {
        return NativeBytes.u8(b, base + dstState);
    }

    /**
     * Offset of the wire key's addr[i] (pf_state_key_setup() puts the packet's source at index 0 for
     * an inbound state and at index 1 for an outbound one: pfctl's print_state and DIOCKILLSTATES read
     * it so).
     */
    public int wireAddr(int base, int i) {
        return base + wireAddr0 + (wireAddr1 - wireAddr0) * i;      // no branch: i is 0 or 1 at random
    }

    public int wirePort(ByteBuffer b, int base, int i) {
        return Short.toUnsignedInt(Short.reverseBytes(b.getShort(base + (i == 0 ? wirePort0 : wirePort1))));
    }

    /** Index of the originator's address in the wire key: 1 for an outbound state, else 0. */
    public static int sourceIndex(int direction) {
        return direction == PF_OUT ? 1 : 0;
    }

    // ---- the kernel side (the simulator writes with these, so both ends share one layout) ----

    public void putRule(ByteBuffer b, int base, long nr) {
        b.putInt(base + rule, Integer.reverseBytes((int) nr));
    }

    public void putAnchor(ByteBuffer b, int base, long nr) {
        b.putInt(base + anchor, Integer.reverseBytes((int) nr));
    }

    public void putCounter(ByteBuffer b, int base, boolean bytesCounter, int dir, long v) {
        int off = base + (bytesCounter ? bytes : packets) + 8 * dir;
        b.putInt(off, Integer.reverseBytes((int) (v >>> 32)));
        b.putInt(off + 4, Integer.reverseBytes((int) v));
    }
}
