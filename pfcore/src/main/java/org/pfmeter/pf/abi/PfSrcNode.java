package org.pfmeter.pf.abi;

import static org.pfmeter.pf.abi.CType.INT;
import static org.pfmeter.pf.abi.CType.POINTER;
import static org.pfmeter.pf.abi.CType.SA_FAMILY;
import static org.pfmeter.pf.abi.CType.SIZE;
import static org.pfmeter.pf.abi.CType.U_INT32;
import static org.pfmeter.pf.abi.CType.U_INT64;
import static org.pfmeter.pf.abi.CType.U_INT8;
import static org.pfmeter.pf.abi.CType.array;

import java.nio.ByteBuffer;

/**
 * struct pf_src_node as DIOCGETSRCNODES copies it out, and struct pfioc_src_nodes (net/pfvar.h; the
 * same in 1.543 and 1.548). The kernel zeroes {@code entry} and {@code kif}, replaces the rule
 * pointer with the rule's number ({@code rule.nr}), and turns {@code creation} into an age and
 * {@code expire} into seconds left (pf_ioctl.c, DIOCGETSRCNODES).
 */
public final class PfSrcNode {

    /** AF_INET and AF_INET6 of OpenBSD's sys/socket.h. */
    static final int AF_INET = 2;
    static final int AF_INET6 = 24;

    static CStruct define() {
        return CStruct.struct("pf_src_node")
                .field("entry", CStruct.struct("RB_ENTRY")                 // RB_ENTRY(pf_src_node)
                        .field("rbe_left", POINTER)
                        .field("rbe_right", POINTER)
                        .field("rbe_parent", POINTER)
                        .field("rbe_color", INT)
                        .build())
                .field("addr", PfRuleParts.PF_ADDR)                        // struct pf_addr
                .field("raddr", PfRuleParts.PF_ADDR)                       // struct pf_addr
                .field("rule", CStruct.union("pf_rule_ptr")                // union pf_rule_ptr
                        .field("ptr", POINTER)
                        .field("nr", U_INT32)
                        .build())
                .field("kif", POINTER)                                     // struct pfi_kif *
                .field("bytes", array(U_INT64, 2))                         // u_int64_t [2]
                .field("packets", array(U_INT64, 2))                       // u_int64_t [2]
                .field("states", U_INT32)                                  // u_int32_t
                .field("conn", U_INT32)                                    // u_int32_t
                .field("conn_rate", PfRuleParts.PF_THRESHOLD)              // struct pf_threshold
                .field("creation", INT)                                    // int32_t
                .field("expire", INT)                                      // int32_t
                .field("af", SA_FAMILY)                                    // sa_family_t
                .field("naf", SA_FAMILY)                                   // sa_family_t
                .field("type", U_INT8)                                     // u_int8_t (enum pf_sn_types)
                .build();
    }

    /** struct pfioc_src_nodes { size_t psn_len; union { caddr_t psu_buf; struct pf_src_node *psu_src_nodes; } psn_u; }. */
    static CStruct definePfiocSrcNodes() {
        return CStruct.struct("pfioc_src_nodes")
                .field("psn_len", SIZE)                                    // size_t
                .field("psn_u", CStruct.union("psn_u")
                        .field("psu_buf", POINTER)                         // caddr_t
                        .field("psu_src_nodes", POINTER)                   // struct pf_src_node *
                        .build())
                .build();
    }

    private final CStruct layout;
    final int addr;
    final int raddr;
    final int ruleNr;
    final int bytes;
    final int packets;
    final int states;
    final int conn;
    final int connRateSeconds;
    final int connRateCount;
    final int creation;
    final int expire;
    final int af;
    final int naf;
    final int type;

    PfSrcNode(CStruct layout) {
        this.layout = layout;
        addr = layout.offset("addr");
        raddr = layout.offset("raddr");
        ruleNr = layout.offset("rule", "nr");
        bytes = layout.offset("bytes");
        packets = layout.offset("packets");
        states = layout.offset("states");
        conn = layout.offset("conn");
        connRateSeconds = layout.offset("conn_rate", "seconds");
        connRateCount = layout.offset("conn_rate", "count");
        creation = layout.offset("creation");
        expire = layout.offset("expire");
        af = layout.offset("af");
        naf = layout.offset("naf");
        type = layout.offset("type");
    }

    public int size() {
        return layout.size();
    }

    public CStruct layout() {
        return layout;
    }

    /** One node as the kernel copies it out, for the simulator's side. */
    public record Encoded(byte[] addr, byte[] raddr, int af, int naf, int type, long ruleNr, long bytesIn, long bytesOut,
                          long packetsIn, long packetsOut, long states, long conn, long rateLimit, long rateSeconds,
                          long rateCount, long creation, long expire) {
    }

    /** Writes node {@code n} at {@code base} of {@code b}: entry and kif zero, as the kernel leaves them. */
    public void encode(Encoded n, ByteBuffer b, int base) {
        for (int i = 0; i < layout.size(); i++) {
            b.put(base + i, (byte) 0);
        }
        b.put(base + addr, n.addr());
        b.put(base + raddr, n.raddr());
        NativeBytes.putU32(b, base + ruleNr, n.ruleNr());
        NativeBytes.putU64(b, base + bytes, n.bytesIn());
        NativeBytes.putU64(b, base + bytes + 8, n.bytesOut());
        NativeBytes.putU64(b, base + packets, n.packetsIn());
        NativeBytes.putU64(b, base + packets + 8, n.packetsOut());
        NativeBytes.putU32(b, base + states, n.states());
        NativeBytes.putU32(b, base + conn, n.conn());
        int rate = layout.offset("conn_rate");
        NativeBytes.putU32(b, base + rate, n.rateLimit());
        NativeBytes.putU32(b, base + connRateSeconds, n.rateSeconds());
        NativeBytes.putU32(b, base + connRateCount, n.rateCount());
        NativeBytes.putU32(b, base + creation, n.creation());
        NativeBytes.putU32(b, base + expire, n.expire());
        NativeBytes.putU8(b, base + af, n.af());
        NativeBytes.putU8(b, base + naf, n.naf());
        NativeBytes.putU8(b, base + type, n.type());
    }
}
