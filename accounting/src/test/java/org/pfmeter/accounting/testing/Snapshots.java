package org.pfmeter.accounting.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.pfmeter.pf.model.EnumCounters;
import org.pfmeter.pf.model.LabelCounters;
import org.pfmeter.pf.model.LimitCounter;
import org.pfmeter.pf.model.LogInterface;
import org.pfmeter.pf.model.PfError;
import org.pfmeter.pf.model.PfSnapshot;
import org.pfmeter.pf.model.Reason;
import org.pfmeter.pf.model.Rules;
import org.pfmeter.pf.model.Status;
import org.pfmeter.pf.model.SubsystemResult;
import org.pfmeter.pf.model.SyncookieMode;
import org.pfmeter.pf.model.TableOperation;
import org.pfmeter.pf.model.TrafficCounters;

/** Builds the snapshots a poll would produce, with just what the ledger reads. */
public final class Snapshots {

    private Snapshots() {
    }

    public static Status status(String checksum, long since) {
        return new Status(true, since, 0, 0, 0, 0, 0, 0, 0, 0, false, SyncookieMode.NEVER, new long[2],
                EnumCounters.zero(Reason.class), EnumCounters.zero(LimitCounter.class),
                EnumCounters.zero(TableOperation.class), EnumCounters.zero(TableOperation.class),
                EnumCounters.zero(TableOperation.class), new LogInterface("", TrafficCounters.ZERO), checksum, 0, 0);
    }

    public static PfSnapshot snapshot(Instant at, String checksum, long since, LabelCounters... labels) {
        return new PfSnapshot(at, Duration.ofMillis(3), "8.0", SubsystemResult.ok(status(checksum, since)),
                failed(), failed(), failed(),
                SubsystemResult.ok(new Rules(List.of(""), List.of(), List.of(labels))), failed(), failed(), failed(), failed(), failed(), failed(), failed());
    }

    /** A poll whose rule walk failed (EBUSY): nothing to account. */
    public static PfSnapshot withoutRules(Instant at, String checksum, long since) {
        return new PfSnapshot(at, Duration.ofMillis(3), "8.0", SubsystemResult.ok(status(checksum, since)),
                failed(), failed(), failed(), failed(), failed(), failed(), failed(), failed(), failed(), failed(), failed());
    }

    /** One label: packets and bytes in/out; evaluations = packets in + out; one rule. */
    public static LabelCounters label(String anchor, String label, long packetsIn, long packetsOut, long bytesIn, long bytesOut) {
        return new LabelCounters(anchor, label, 1, packetsIn + packetsOut, packetsIn, packetsOut, bytesIn, bytesOut, 0, 0);
    }

    public static LabelCounters bytes(String label, long bytesIn, long bytesOut) {
        return label("", label, bytesIn / 1000, bytesOut / 1000, bytesIn, bytesOut);
    }

    private static <T> SubsystemResult<T> failed() {
        return SubsystemResult.failed(new PfError(PfError.Kind.OTHER, "", 0, "", "not read in this test"));
    }
}
