package org.pfmeter.pf.sim.freebsd;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.pfmeter.pf.abi.PfIoctlException;
import org.pfmeter.pf.abi.PfProtocol;
import org.pfmeter.pf.abi.freebsd.FreeBsdAltq;
import org.pfmeter.pf.model.InterfaceCounters;
import org.pfmeter.pf.model.QueueStats;
import org.pfmeter.pf.model.TableStats;
import org.pfmeter.pf.model.TrafficCounters;
import org.pfmeter.pf.sim.SimulatedPf;

/**
 * The FreeBSD kernel's kifs, ALTQ entries and tables taken from the existing traffic model: a
 * {@link SimulatedPf} (seeded topology, traffic, faults and ground truth) read through its own ioctls
 * at each call, then laid out as FreeBSD keeps them.
 *
 * <ul>
 * <li>Kifs: the interfaces with their counters; group kifs with zero counters (FreeBSD counts only
 * on interfaces), their members named by each interface's {@code groups}; {@code pfik_rulerefs} is
 * the rules referencing the kif.</li>
 * <li>ALTQ: each interface with queues gets its root entry (qid 0, no queue name) first; its HFSC
 * classes become HFSC entries (the default queue's HFCF_DEFAULTCLASS set), and an interface whose
 * only queue is a stand-alone flow queue becomes a CoDel interface (CoDel has no classes). The ticket
 * changes whenever the set of queues does. {@code withAltq(false)} is a kernel without ALTQ.</li>
 * <li>Tables: every table; FreeBSD has no "match" operation, so that column is not carried.</li>
 * </ul>
 * A fault of the underlying simulator that refuses a read (EACCES) refuses the FreeBSD ioctl alike.
 */
public final class FreeBsdSimIoctlTraffic implements FreeBsdSimIoctlKernel {

    /** pfctl's default token bucket depth for a 100 Mb/s interface (tbr_size from the MTU and rate). */
    static final long TBRSIZE = 3000;
    /** The errno a failure that carried none (a malformed answer) becomes. */
    private static final int EIO = 5;

    private final PfProtocol pf;
    private final boolean altq;
    private List<String> lastQueueKeys = List.of();
    private long ticket = 1;

    public FreeBsdSimIoctlTraffic(SimulatedPf sim, boolean altq) {
        this.pf = new PfProtocol(sim, sim.config().kernelRelease().abi());
        this.altq = altq;
    }

    /** A kernel with ALTQ compiled in. */
    public FreeBsdSimIoctlTraffic(SimulatedPf sim) {
        this(sim, true);
    }

    private interface Read<T> {
        T get() throws PfIoctlException;
    }

    private static <T> T read(Read<T> r) {
        try {
            return r.get();
        } catch (PfIoctlException e) {
            throw new Refused(e.error().errno() == 0 ? EIO : e.error().errno(), e.getMessage());
        }
    }

    @Override
    public synchronized List<Kif> kifs() {
        List<InterfaceCounters> all = read(pf::readInterfaces);
        Map<String, List<String>> groupsOf = new LinkedHashMap<>();
        for (InterfaceCounters i : all) {
            if (i.group()) {
                for (String m : i.members()) {
                    groupsOf.computeIfAbsent(m, x -> new ArrayList<>()).add(i.name());
                }
            }
        }
        List<Kif> out = new ArrayList<>(all.size());
        for (InterfaceCounters i : all) {
            out.add(new Kif(i.name(), i.group(), i.group() ? List.of() : groupsOf.getOrDefault(i.name(), List.of()),
                    i.flags(), i.cleared(), i.rules(), i.group() ? TrafficCounters.ZERO : i.counters()));
        }
        out.sort((x, y) -> x.name().compareTo(y.name()));
        return out;
    }

    @Override
    public synchronized Optional<List<Altq>> altqs() {
        if (!altq) {
            return Optional.empty();
        }
        List<QueueStats> queues = read(pf::readQueues);
        Map<String, List<QueueStats>> byInterface = new LinkedHashMap<>();
        for (QueueStats q : queues) {
            byInterface.computeIfAbsent(q.ifname(), x -> new ArrayList<>()).add(q);
        }
        List<Altq> roots = new ArrayList<>();
        List<Altq> classes = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (Map.Entry<String, List<QueueStats>> e : byInterface.entrySet()) {
            String ifname = e.getKey();
            List<QueueStats> qs = e.getValue();
            long ifbandwidth = qs.stream().filter(q -> q.parent().isEmpty()).mapToLong(QueueStats::bandwidth).max().orElse(0);
            boolean codel = qs.stream().allMatch(q -> q.kind() == QueueStats.Kind.FQ_CODEL);
            if (codel) {
                QueueStats q = qs.get(0);
                roots.add(new Altq(new FreeBsdAltq(ifname, FreeBsdAltq.ALTQT_CODEL, TBRSIZE, Math.max(ifbandwidth, q.bandwidth()),
                        "", "", 0, 0, 0, 0, (int) q.limit(), 0, 0, 0), stats(q)));
                keys.add(ifname + "/codel");
                continue;
            }
            roots.add(new Altq(new FreeBsdAltq(ifname, FreeBsdAltq.ALTQT_HFSC, TBRSIZE, ifbandwidth, "", "", 0, 0, 0, 0,
                    0, 0, 0, 0), null));
            for (QueueStats q : qs) {
                if (q.kind() != QueueStats.Kind.HFSC) {
                    continue;                       // a flow queue under an HFSC class has no ALTQ counterpart
                }
                int flags = (q.flags() & QueueStats.PFQS_DEFAULT) != 0 ? FreeBsdAltq.DEFAULTCLASS : 0;
                classes.add(new Altq(new FreeBsdAltq(ifname, FreeBsdAltq.ALTQT_HFSC, TBRSIZE, ifbandwidth, q.name(),
                        q.parent(), q.parentQid(), q.bandwidth(), 0, 0, (int) Math.min(q.limit(), 0xffff), 0, flags, q.qid()),
                        stats(q)));
                keys.add(ifname + "/" + q.name() + "/" + q.qid());
            }
        }
        if (!Objects.equals(keys, lastQueueKeys)) {
            lastQueueKeys = List.copyOf(keys);
            ticket++;
        }
        List<Altq> out = new ArrayList<>(roots);
        out.addAll(classes);
        return Optional.of(out);
    }

    private static FreeBsdAltq.ClassStats stats(QueueStats q) {
        return new FreeBsdAltq.ClassStats(q.transmittedPackets(), q.transmittedBytes(), q.droppedPackets(),
                q.droppedBytes(), q.length(), q.limit());
    }

    @Override
    public synchronized long altqTicket() {
        return ticket;
    }

    @Override
    public List<TableStats> tables() {
        return read(pf::readTables);
    }
}
