package org.pfmeter.pf.abi;

import static org.pfmeter.pf.abi.CType.U_INT64;

import java.nio.ByteBuffer;
import org.pfmeter.pf.model.EnumCounters;
import org.pfmeter.pf.model.PfsyncCounter;
import org.pfmeter.pf.model.PfsyncStats;

/**
 * struct pfsyncstats (net/if_pfsync.h), which {@code sysctl net.inet.pfsync.stats} copies out with
 * sysctl_rdstruct(): 16 {@code u_int64_t}, the same in 7.8, 7.9 and 8.0. The kernel answers ENOMEM
 * for a buffer shorter than the struct, and ENOPROTOOPT when it was built without pfsync.
 */
public final class Pfsyncstats {

    /** sys/sysctl.h. */
    public static final int CTL_NET = 4;
    /** sys/socket.h: PF_INET = AF_INET. */
    public static final int PF_INET = 2;
    /** netinet/in.h. */
    public static final int IPPROTO_PFSYNC = 240;
    /** net/if_pfsync.h. */
    public static final int PFSYNCCTL_STATS = 1;
    /** What sysctl(8) calls it. */
    public static final String NAME = "net.inet.pfsync.stats";

    /** {CTL_NET, PF_INET, IPPROTO_PFSYNC, PFSYNCCTL_STATS}, as netstat's pfsync_stats() asks. */
    public static int[] mib() {
        return new int[] {CTL_NET, PF_INET, IPPROTO_PFSYNC, PFSYNCCTL_STATS};
    }

    static CStruct define() {
        CStruct.Builder b = CStruct.struct("pfsyncstats");
        for (PfsyncCounter c : PfsyncCounter.values()) {
            b.field(c.kernelName(), U_INT64);                 // u_int64_t
        }
        return b.build();
    }

    private final CStruct layout;

    Pfsyncstats(CStruct layout) {
        this.layout = layout;
    }

    public int size() {
        return layout.size();
    }

    public PfsyncStats decode(ByteBuffer b) {
        long[] v = new long[PfsyncCounter.values().length];
        for (PfsyncCounter c : PfsyncCounter.values()) {
            v[c.ordinal()] = NativeBytes.u64(b, layout.offset(c.kernelName()));
        }
        return new PfsyncStats(EnumCounters.of(PfsyncCounter.class, v));
    }

    public void encode(PfsyncStats s, ByteBuffer b) {
        for (PfsyncCounter c : PfsyncCounter.values()) {
            NativeBytes.putU64(b, layout.offset(c.kernelName()), s.get(c));
        }
    }
}
