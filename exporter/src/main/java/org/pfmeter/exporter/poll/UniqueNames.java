package org.pfmeter.exporter.poll;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.pfmeter.pf.model.InterfaceCounters;
import org.pfmeter.pf.model.PfSnapshot;
import org.pfmeter.pf.model.Subsystem;
import org.pfmeter.pf.model.TableStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Interface and table names are unique in pf (an interface by name, a table by anchor and name),
 * but pfmeter does not take the kernel's, or a trace's, word for it: a name given twice would be
 * two series with the same labels, which Prometheus refuses (the whole scrape fails), and one MBean
 * would silently hide the other. The first entry of each name is kept, every later one is counted
 * ({@code pfmeter_duplicate_names{subsystem}}) and logged once when the count changes.
 */
public final class UniqueNames {

    private static final Logger LOG = LoggerFactory.getLogger(UniqueNames.class);

    private UniqueNames() {
    }

    /** The interfaces and groups with the first of each name kept, in kernel order. */
    public static List<InterfaceCounters> interfaces(List<InterfaceCounters> list) {
        return firstOfEach(list, InterfaceCounters::name);
    }

    /** The tables with the first of each (anchor, name) kept, in kernel order. */
    public static List<TableStats> tables(List<TableStats> list) {
        return firstOfEach(list, t -> List.of(t.anchor(), t.name()));
    }

    /** How many entries of each subsystem repeat an earlier name (0 when the subsystem was not read). */
    public static Map<Subsystem, Integer> duplicates(PfSnapshot s) {
        Map<Subsystem, Integer> d = new EnumMap<>(Subsystem.class);
        d.put(Subsystem.INTERFACES, s.interfaces().value().map(l -> l.size() - interfaces(l).size()).orElse(0));
        d.put(Subsystem.TABLES, s.tables().value().map(l -> l.size() - tables(l).size()).orElse(0));
        return d;
    }

    private static <T> List<T> firstOfEach(List<T> list, Function<T, Object> key) {
        Set<Object> seen = new HashSet<>(list.size() * 2);
        List<T> out = null;
        for (int i = 0; i < list.size(); i++) {
            T t = list.get(i);
            if (seen.add(key.apply(t))) {
                if (out != null) {
                    out.add(t);
                }
            } else if (out == null) {
                out = new ArrayList<>(list.subList(0, i));
            }
        }
        return out == null ? list : out;
    }

    /** Logs a warning when a poll's duplicates differ from the previous poll's (not every poll). */
    public static final class Warner implements SnapshotListener {
        private Map<Subsystem, Integer> last = Map.of();

        @Override
        public synchronized void onSnapshot(PfSnapshot snapshot, PollStats stats) {
            Map<Subsystem, Integer> now = duplicates(snapshot);
            if (now.equals(last)) {
                return;
            }
            boolean first = last.isEmpty();
            last = now;
            now.forEach((sub, n) -> {
                if (n > 0) {
                    LOG.warn("pf gave {} {} name(s) more than once; the first of each is exported, the others are"
                            + " counted in pfmeter_duplicate_names{{subsystem=\"{}\"}}", n, sub.label(), sub.label());
                }
            });
            if (!first && now.values().stream().allMatch(n -> n == 0)) {
                LOG.info("pf gives every interface and table name once again");
            }
        }
    }
}
