package org.pfmeter.pf.abi;

import static org.pfmeter.pf.abi.CType.INT;
import static org.pfmeter.pf.abi.CType.POINTER;
import static org.pfmeter.pf.abi.CType.TIME;
import static org.pfmeter.pf.abi.CType.U_INT64;
import static org.pfmeter.pf.abi.CType.array;
import static org.pfmeter.pf.abi.CType.chars;
import static org.pfmeter.pf.abi.PfConstants.IFNAMSIZ;

import java.nio.ByteBuffer;
import java.util.List;
import org.pfmeter.pf.model.InterfaceCounters;
import org.pfmeter.pf.model.TrafficCounters;

/**
 * struct pfi_kif, the elements DIOCIGETIFACES copies out verbatim: kernel pointers included, which
 * pfmeter reads only to tell a group ({@code pfik_group != NULL}) from an interface.
 */
public final class PfiKif {

    static CStruct define() {
        return CStruct.struct("pfi_kif")
                .field("pfik_name", chars(IFNAMSIZ))                       // char [IFNAMSIZ]
                .field("pfik_tree", CStruct.struct("RB_ENTRY")             // RB_ENTRY(pfi_kif)
                        .field("rbe_left", POINTER)
                        .field("rbe_right", POINTER)
                        .field("rbe_parent", POINTER)
                        .field("rbe_color", INT)
                        .build())
                .field("pfik_packets", array(U_INT64, 2, 2, 2))            // u_int64_t [2][2][2]
                .field("pfik_bytes", array(U_INT64, 2, 2, 2))              // u_int64_t [2][2][2]
                .field("pfik_tzero", TIME)                                 // time_t
                .field("pfik_flags", INT)                                  // int
                .field("pfik_flags_new", INT)                              // int
                .field("pfik_ah_cookie", POINTER)                          // void *
                .field("pfik_ifp", POINTER)                                // struct ifnet *
                .field("pfik_group", POINTER)                              // struct ifg_group *
                .field("pfik_states", INT)                                 // int
                .field("pfik_rules", INT)                                  // int
                .field("pfik_routes", INT)                                 // int
                .field("pfik_srcnodes", INT)                               // int
                .field("pfik_flagrefs", INT)                               // int
                .field("pfik_dynaddrs", PfRuleParts.TAILQ_ENTRY)           // TAILQ_HEAD(, pfi_dynaddr)
                .build();
    }

    private final CStruct layout;
    private final int name;
    private final int packets;
    private final int bytes;
    private final int tzero;
    private final int flags;
    private final int ifp;
    private final int group;
    private final int states;
    private final int rules;

    PfiKif(CStruct layout) {
        this.layout = layout;
        name = layout.offset("pfik_name");
        packets = layout.offset("pfik_packets");
        bytes = layout.offset("pfik_bytes");
        tzero = layout.offset("pfik_tzero");
        flags = layout.offset("pfik_flags");
        ifp = layout.offset("pfik_ifp");
        group = layout.offset("pfik_group");
        states = layout.offset("pfik_states");
        rules = layout.offset("pfik_rules");
    }

    public CStruct layout() {
        return layout;
    }

    public int size() {
        return layout.size();
    }

    /** Decodes the element at {@code base}; group members are filled in by the reader. */
    public InterfaceCounters decode(ByteBuffer b, int base) {
        return new InterfaceCounters(
                NativeBytes.cString(b, base + name, IFNAMSIZ),
                isGroup(b, base),
                List.of(),
                NativeBytes.s32(b, base + flags),
                NativeBytes.u64(b, base + tzero),
                Integer.toUnsignedLong(NativeBytes.s32(b, base + states)),
                Integer.toUnsignedLong(NativeBytes.s32(b, base + rules)),
                TrafficCounters.of(PfStatus.u64s(b, base + packets, 8), PfStatus.u64s(b, base + bytes, 8)));
    }

    public String name(ByteBuffer b, int base) {
        return NativeBytes.cString(b, base + name, IFNAMSIZ);
    }

    public boolean isGroup(ByteBuffer b, int base) {
        return NativeBytes.u64(b, base + group) != 0;
    }

    /**
     * Writes an element as the kernel would. {@code ifpPointer}/{@code groupPointer} stand in for the
     * kernel addresses a real kif carries (exactly one is non-zero).
     */
    public void encode(InterfaceCounters k, TrafficCounters counters, long ifpPointer, long groupPointer,
            ByteBuffer b, int base) {
        NativeBytes.putCString(b, base + name, IFNAMSIZ, k.name());
        PfStatus.putU64s(b, base + packets, counters.packetsArray());
        PfStatus.putU64s(b, base + bytes, counters.bytesArray());
        NativeBytes.putU64(b, base + tzero, k.cleared());
        NativeBytes.putU32(b, base + flags, k.flags());
        NativeBytes.putU64(b, base + ifp, ifpPointer);
        NativeBytes.putU64(b, base + group, groupPointer);
        NativeBytes.putU32(b, base + states, k.states());
        NativeBytes.putU32(b, base + rules, k.rules());
    }
}
