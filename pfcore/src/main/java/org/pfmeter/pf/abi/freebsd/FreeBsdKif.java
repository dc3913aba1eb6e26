package org.pfmeter.pf.abi.freebsd;

import java.nio.ByteBuffer;
import org.pfmeter.pf.abi.CStruct;
import org.pfmeter.pf.abi.NativeBytes;
import org.pfmeter.pf.model.TrafficCounters;

/**
 * One userland {@code struct pfi_kif} as FreeBSD's DIOCIGETIFACES copies it out
 * ({@code pf_kkif_to_kif()} in pf_if.c: the kernel zeroes the element, then copies the name, the
 * per-CPU counters summed up, {@code pfik_tzero} and {@code pfik_rulerefs}). FreeBSD has no per-kif
 * state count ({@code pfik_states}) and does not hand out its kernel pointers: {@code pfik_ifp} and
 * {@code pfik_group} read NULL, so a group is told from an interface by asking for its members
 * (see {@link FreeBsdPfProtocol#readInterfaces()}).
 *
 * @param flags    {@code pfik_flags} (PFI_IFLAG_SKIP 0x100); pf_if.c revision 051f0103 leaves it 0
 * @param tzero    {@code pfik_tzero}: wall-clock seconds when the counters were last cleared (u_int32_t)
 * @param rulerefs {@code pfik_rulerefs}: rules referencing the kif
 * @param groupPointer whether {@code pfik_group} was non-NULL (taken as "group" should a kernel fill it in)
 */
public record FreeBsdKif(String name, int flags, long tzero, long rulerefs, TrafficCounters counters, boolean groupPointer) {

    public static final CStruct LAYOUT = FreeBsdStructs.PFI_KIF;
    public static final int SIZE = LAYOUT.size();
    private static final int NAME = LAYOUT.offset("pfik_name");
    private static final int PACKETS = LAYOUT.offset("pfik_packets");
    private static final int BYTES = LAYOUT.offset("pfik_bytes");
    private static final int TZERO = LAYOUT.offset("pfik_tzero");
    private static final int FLAGS = LAYOUT.offset("pfik_flags");
    private static final int GROUP = LAYOUT.offset("pfik_group");
    private static final int RULEREFS = LAYOUT.offset("pfik_rulerefs");

    /** Decodes the element at {@code base}. */
    public static FreeBsdKif decode(ByteBuffer b, int base) {
        long[] p = new long[8];
        long[] y = new long[8];
        for (int i = 0; i < 8; i++) {
            p[i] = NativeBytes.u64(b, base + PACKETS + 8 * i);
            y[i] = NativeBytes.u64(b, base + BYTES + 8 * i);
        }
        return new FreeBsdKif(NativeBytes.cString(b, base + NAME, FreeBsdStructs.IFNAMSIZ),
                NativeBytes.s32(b, base + FLAGS), NativeBytes.u32(b, base + TZERO),
                NativeBytes.u32(b, base + RULEREFS), TrafficCounters.of(p, y),
                NativeBytes.u64(b, base + GROUP) != 0);
    }

    /** Writes the element at {@code base} as pf_kkif_to_kif() does: zeroed first, pointers left NULL. */
    public void encode(ByteBuffer b, int base) {
        for (int i = 0; i < SIZE; i++) {
            b.put(base + i, (byte) 0);
        }
        NativeBytes.putCString(b, base + NAME, FreeBsdStructs.IFNAMSIZ, name);
        long[] p = counters.packetsArray();
        long[] y = counters.bytesArray();
        for (int i = 0; i < 8; i++) {
            NativeBytes.putU64(b, base + PACKETS + 8 * i, p[i]);
            NativeBytes.putU64(b, base + BYTES + 8 * i, y[i]);
        }
        NativeBytes.putU32(b, base + TZERO, tzero);
        NativeBytes.putU32(b, base + FLAGS, flags);
        NativeBytes.putU32(b, base + RULEREFS, rulerefs);
        if (groupPointer) {
            NativeBytes.putU64(b, base + GROUP, 1);     // any non-NULL stand-in: no revision read writes one
        }
    }
}
