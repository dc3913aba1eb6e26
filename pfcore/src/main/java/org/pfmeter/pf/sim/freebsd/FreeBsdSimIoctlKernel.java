package org.pfmeter.pf.sim.freebsd;

import java.util.List;
import java.util.Optional;
import org.pfmeter.pf.abi.freebsd.FreeBsdAltq;
import org.pfmeter.pf.model.TableStats;
import org.pfmeter.pf.model.TrafficCounters;

/**
 * What the simulated FreeBSD kernel holds for the binary ioctls {@link FreeBsdSimIoctl} answers:
 * its kifs, its ALTQ entries (absent on a kernel built without ALTQ) and its tables, each read at the
 * moment of the call. {@link FreeBsdSimIoctlTraffic} takes them from the traffic model.
 */
public interface FreeBsdSimIoctlKernel {

    /**
     * One kif of the kernel's tree. The kernel counts traffic only on interfaces; a group kif's
     * counters are zero and its members are the interfaces whose {@code groups} name it.
     *
     * @param groups the interface groups an interface belongs to (empty for a group kif)
     */
    record Kif(String name, boolean group, List<String> groups, int flags, long tzero, long rulerefs,
            TrafficCounters counters) {
        public Kif {
            groups = List.copyOf(groups);
        }
    }

    /** One entry of the active ALTQ list, with the statistics its scheduler keeps (null for a root entry). */
    record Altq(FreeBsdAltq entry, FreeBsdAltq.ClassStats stats) {
    }

    /** Every kif, in the kernel's tree order (by name). */
    List<Kif> kifs();

    /** The active ALTQ list (interface root entries first, then the queues); empty without ALTQ. */
    Optional<List<Altq>> altqs();

    /** {@code V_ticket_altqs_active}: changes whenever the ALTQ configuration is replaced. */
    long altqTicket();

    /** Every table of every ruleset (only active tables: pfr_get_tstats() skips the others). */
    List<TableStats> tables();

    /**
     * Thrown by a kernel view that cannot answer (a fault of the underlying simulator) with the errno
     * the ioctl then returns.
     */
    final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int errno;

        public Refused(int errno, String why) {
            super(why);
            this.errno = errno;
        }

        public int errno() {
            return errno;
        }
    }
}
