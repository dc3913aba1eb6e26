package org.pfmeter.accounting.ledger;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.pfmeter.pf.model.LabelCounters;
import org.pfmeter.pf.model.PfSnapshot;
import org.pfmeter.pf.model.Rules;
import org.pfmeter.pf.model.Status;
import org.pfmeter.pf.model.TableAddresses;
import org.pfmeter.pf.model.TableStats;

/**
 * What the ledger keeps of one poll: the host, when, pf's ruleset checksum and start time, the raw
 * label counters, the tables' counters and the entries of the tables read per address.
 * {@code tables} and {@code addresses} are empty when pf's tables could not be read in the poll:
 * their series then keep their last counters, and the next poll that reads them counts the gap. The backlog holds these (not deltas): deltas are computed against the stored
 * previous counters inside the transaction that writes them, so a poll that reaches the database
 * late, or twice, is still counted exactly once.
 */
public record Observation(String host, Instant takenAt, String checksum, long since, List<LabelCounters> labels,
                          List<TableStats> tables, List<TableAddresses> addresses) {

    /**
     * @param takenAt truncated to microseconds, what H2's and PostgreSQL's timestamps keep: the ledger
     *                compares its last poll with the stored one (a real clock reads nanoseconds, and
     *                the comparison then failed, so every poll read the host's ledger back, and the
     *                shutdown's journal merge never matched)
     */
    public Observation {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(takenAt, "takenAt");
        takenAt = takenAt.truncatedTo(ChronoUnit.MICROS);
        Objects.requireNonNull(checksum, "checksum");
        labels = List.copyOf(labels);
        tables = List.copyOf(tables);
        addresses = List.copyOf(addresses);
        if (host.isBlank() || host.length() > 255) {
            throw new IllegalArgumentException("host must be 1 to 255 characters, got '" + host + "'");
        }
    }

    /** A poll of labels only. */
    public Observation(String host, Instant takenAt, String checksum, long since, List<LabelCounters> labels) {
        this(host, takenAt, checksum, since, labels, List.of(), List.of());
    }

    /** The observation in {@code snapshot}, or empty when its status or rules could not be read. */
    public static Optional<Observation> of(String host, PfSnapshot snapshot) {
        Optional<Status> status = snapshot.status().value();
        Optional<Rules> rules = snapshot.rules().value();
        if (status.isEmpty() || rules.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Observation(host, snapshot.takenAt(), status.get().checksum(), status.get().since(),
                rules.get().labels(), snapshot.tables().value().orElse(List.of()),
                snapshot.tableAddresses().value().orElse(List.of())));
    }
}
