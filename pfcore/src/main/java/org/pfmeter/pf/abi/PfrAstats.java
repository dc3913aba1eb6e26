package org.pfmeter.pf.abi;

import static org.pfmeter.pf.abi.CType.TIME;
import static org.pfmeter.pf.abi.CType.U_INT16;
import static org.pfmeter.pf.abi.CType.U_INT32;
import static org.pfmeter.pf.abi.CType.U_INT64;
import static org.pfmeter.pf.abi.CType.U_INT8;
import static org.pfmeter.pf.abi.CType.array;
import static org.pfmeter.pf.abi.CType.chars;
import static org.pfmeter.pf.abi.PfConstants.IFNAMSIZ;
import static org.pfmeter.pf.abi.PfConstants.PFR_DIR_MAX;
import static org.pfmeter.pf.abi.PfConstants.PFR_OP_ADDR_MAX;

import java.nio.ByteBuffer;
import org.pfmeter.pf.model.AddressCounters;
import org.pfmeter.pf.model.AddressFamily;
import org.pfmeter.pf.model.TableAddress;

/**
 * struct pfr_astats (elements of DIOCRGETASTATS) and the struct pfr_addr it starts with; the same in
 * 7.8, 7.9 and 8.0 (pfvar.h 1.543 and 1.548).
 */
public final class PfrAstats {

    /** sys/socket.h. */
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 24;

    static CStruct definePfrAddr() {
        return CStruct.struct("pfr_addr")
                .field("pfra_u", CStruct.union("pfra_u")
                        .field("_pfra_ip4addr", U_INT32)                 // struct in_addr
                        .field("_pfra_ip6addr", array(U_INT32, 4))       // struct in6_addr (32-bit aligned)
                        .build())
                .field("pfra_ifname", chars(IFNAMSIZ))                  // char [IFNAMSIZ]
                .field("pfra_states", U_INT32)                          // u_int32_t
                .field("pfra_weight", U_INT16)                          // u_int16_t
                .field("pfra_af", U_INT8)                               // u_int8_t
                .field("pfra_net", U_INT8)
                .field("pfra_not", U_INT8)
                .field("pfra_fback", U_INT8)
                .field("pfra_type", U_INT8)
                .field("pad", array(U_INT8, 7))                         // u_int8_t [7]
                .build();
    }

    static CStruct define(CStruct pfrAddr) {
        return CStruct.struct("pfr_astats")
                .field("pfras_a", pfrAddr)                                               // struct pfr_addr
                .field("pfras_packets", array(U_INT64, PFR_DIR_MAX, PFR_OP_ADDR_MAX))   // u_int64_t [2][3]
                .field("pfras_bytes", array(U_INT64, PFR_DIR_MAX, PFR_OP_ADDR_MAX))     // u_int64_t [2][3]
                .field("pfras_tzero", TIME)                                              // time_t
                .build();
    }

    private final CStruct layout;
    private final int addr;
    private final int af;
    private final int net;
    private final int not;
    private final int fback;
    private final int packets;
    private final int bytes;
    private final int tzero;

    PfrAstats(CStruct layout) {
        this.layout = layout;
        addr = layout.offset("pfras_a", "pfra_u");
        af = layout.offset("pfras_a", "pfra_af");
        net = layout.offset("pfras_a", "pfra_net");
        not = layout.offset("pfras_a", "pfra_not");
        fback = layout.offset("pfras_a", "pfra_fback");
        packets = layout.offset("pfras_packets");
        bytes = layout.offset("pfras_bytes");
        tzero = layout.offset("pfras_tzero");
    }

    public CStruct layout() {
        return layout;
    }

    public int size() {
        return layout.size();
    }

    public AddressCounters decode(ByteBuffer b, int base) {
        int family = NativeBytes.u8(b, base + af);
        AddressFamily f = switch (family) {
            case AF_INET -> AddressFamily.INET;
            case AF_INET6 -> AddressFamily.INET6;
            default -> throw new MalformedAnswerException("pfra_af " + family + " is neither AF_INET (2) nor AF_INET6 (24)");
        };
        int length = f == AddressFamily.INET ? 4 : 16;
        int prefix = NativeBytes.u8(b, base + net);
        if (prefix > length * 8) {
            throw new MalformedAnswerException("pfra_net " + prefix + " is longer than an " + f.kernelName() + " address");
        }
        byte[] a = new byte[length];
        b.get(base + addr, a);
        int notValue = NativeBytes.u8(b, base + not);
        TableAddress address = new TableAddress(f, a, prefix, notValue != 0);
        boolean counted = NativeBytes.u8(b, base + fback) != PfConstants.PFR_FB_NOCOUNT;
        return new AddressCounters(address, counted, PfStatus.u64s(b, base + packets, 2 * PFR_OP_ADDR_MAX),
                PfStatus.u64s(b, base + bytes, 2 * PFR_OP_ADDR_MAX), NativeBytes.u64(b, base + tzero));
    }

    public void encode(AddressCounters c, ByteBuffer b, int base) {
        TableAddress a = c.address();
        b.put(base + addr, a.address());
        NativeBytes.putU8(b, base + af, a.af() == AddressFamily.INET ? AF_INET : AF_INET6);
        NativeBytes.putU8(b, base + net, a.prefixLength());
        NativeBytes.putU8(b, base + not, a.negated() ? 1 : 0);
        NativeBytes.putU8(b, base + fback, c.counted() ? 0 : PfConstants.PFR_FB_NOCOUNT);
        PfStatus.putU64s(b, base + packets, c.packets());
        PfStatus.putU64s(b, base + bytes, c.bytes());
        NativeBytes.putU64(b, base + tzero, c.cleared());
    }
}
