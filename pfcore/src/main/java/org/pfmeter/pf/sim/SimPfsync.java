package org.pfmeter.pf.sim;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.pfmeter.pf.abi.AbiRelease;
import org.pfmeter.pf.abi.Errno;
import org.pfmeter.pf.abi.Pfsyncstats;
import org.pfmeter.pf.abi.SysctlCall;
import org.pfmeter.pf.model.EnumCounters;
import org.pfmeter.pf.model.PfsyncCounter;
import org.pfmeter.pf.model.PfsyncStats;

/**
 * The simulated kernel's pfsync: {@code sysctl net.inet.pfsync.stats} answered as pf_ioctl's sibling
 * pfsync_sysctl() and sysctl_rdstruct() answer it. The kernel is a GENERIC one, so the sysctl always
 * answers; with {@link SimConfig#pfsync()} off its counters stay zero (no pfsync0, nothing sent).
 *
 * <p>With pfsync on, the firewall is the master of a CARP pair: it sends an update for every state
 * created and removed, several per packet, plus about one packet a second; the backup sends much
 * less back. The counters derive from the raw (never reset) state counts of the traffic model: the
 * kernel's pfsync counters live since boot and do not reset with pf.
 */
final class SimPfsync {

    /** The one pfsync interface a kernel allows (pfsync_clone_create() refuses any unit but 0). */
    static final String INTERFACE = "pfsync0";

    private SimPfsync() {
    }

    /** What the sysctl reports now. */
    static PfsyncStats stats(SimKernel k) {
        long[] v = new long[PfsyncCounter.values().length];
        if (k.config.pfsync()) {
            Frame f = k.frame();
            long tau = Math.max(0, f.tau);
            long inserts = f.totalConnections;
            long removals = f.connectionsExpired;
            long sent = (inserts + removals) / 4 + tau;
            long received = tau / 30 + inserts / 200;
            v[PfsyncCounter.OPACKETS.ordinal()] = sent;
            v[PfsyncCounter.IPACKETS.ordinal()] = received;
            v[PfsyncCounter.BADTTL.ordinal()] = received / 5_000;
            v[PfsyncCounter.STALE.ordinal()] = inserts / 10_000;
            v[PfsyncCounter.BADSTATE.ordinal()] = inserts / 50_000;
            v[PfsyncCounter.OERRORS.ordinal()] = sent / 100_000;
            for (int i = 0; i < v.length; i++) {
                v[i] += k.config.counterStart();
            }
        }
        return new PfsyncStats(EnumCounters.of(PfsyncCounter.class, v));
    }

    /** pfsync_sysctl(): one name, PFSYNCCTL_STATS; sysctl_rdstruct(): ENOMEM for a short buffer. */
    static int sysctl(SimKernel k, SysctlCall call) {
        int[] mib = call.mib();
        int[] stats = Pfsyncstats.mib();
        if (mib.length < 3 || mib[0] != stats[0] || mib[1] != stats[1] || mib[2] != stats[2]) {
            return Errno.ENOPROTOOPT;                // net_sysctl(): no such protocol with a sysctl
        }
        if (mib.length != 4) {
            return mib.length < 4 ? Errno.EISDIR : Errno.ENOTDIR;
        }
        if (mib[3] != Pfsyncstats.PFSYNCCTL_STATS) {
            return Errno.ENOPROTOOPT;
        }
        Pfsyncstats codec = AbiRelease.V8_0.abi().pfsync();     // struct pfsyncstats is the same in every release
        if (call.old().capacity() < codec.size()) {
            return Errno.ENOMEM;
        }
        ByteBuffer out = call.old().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        byte[] zero = new byte[codec.size()];
        Arrays.fill(zero, (byte) 0);
        out.put(0, zero);
        codec.encode(stats(k), out);
        call.oldLength(codec.size());
        return 0;
    }
}
