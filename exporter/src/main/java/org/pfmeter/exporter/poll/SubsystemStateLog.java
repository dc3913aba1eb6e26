package org.pfmeter.exporter.poll;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.pfmeter.pf.model.PfError;
import org.pfmeter.pf.model.PfSnapshot;
import org.pfmeter.pf.model.Subsystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs pf errors once per change of state, not every poll: when a subsystem starts failing, when
 * its error changes (another kind or message) and when it recovers.
 */
final class SubsystemStateLog {

    private static final Logger LOG = LoggerFactory.getLogger(Poller.class);

    private final Map<Subsystem, Optional<PfError>> last = new EnumMap<>(Subsystem.class);
    private boolean first = true;

    /** Logs what changed with this snapshot; returns the lines logged (for tests). */
    java.util.List<String> observe(PfSnapshot s) {
        java.util.List<String> logged = new java.util.ArrayList<>();
        Map<Subsystem, PfError> errors = s.errors();
        if (first) {
            first = false;
            if (errors.isEmpty()) {
                LOG.info("first poll read all {} subsystems in {} ms (pf ABI {})", Subsystem.values().length,
                        s.duration().toMillis(), s.abiRelease());
            }
        }
        for (Subsystem sub : Subsystem.values()) {
            Optional<PfError> now = Optional.ofNullable(errors.get(sub));
            Optional<PfError> before = last.getOrDefault(sub, Optional.empty());
            if (now.isPresent() && !sameError(before, now.get())) {
                PfError e = now.get();
                String line = "subsystem " + sub.label() + " failed (" + e.kind().name().toLowerCase(java.util.Locale.ROOT)
                        + (e.errnoName().isEmpty() ? "" : ", " + e.errnoName()) + "): " + oneLine(e.message());
                LOG.warn(line);
                logged.add(line);
            } else if (now.isEmpty() && before.isPresent()) {
                String line = "subsystem " + sub.label() + " recovered";
                LOG.info(line);
                logged.add(line);
            }
            last.put(sub, now);
        }
        return logged;
    }

    private static boolean sameError(Optional<PfError> before, PfError now) {
        return before.isPresent() && before.get().kind() == now.kind() && before.get().errno() == now.errno()
                && before.get().ioctl().equals(now.ioctl());
    }

    static String oneLine(String s) {
        return s.replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }
}
