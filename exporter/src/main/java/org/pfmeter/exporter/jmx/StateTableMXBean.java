package org.pfmeter.exporter.jmx;

import java.util.List;
import java.util.Map;

/**
 * {@code org.pfmeter:type=StateTable}: the last state-table breakdown (its own cadence,
 * {@code states.interval}). Every value is point-in-time and all of one call's values come from the
 * same read. Unlike the Prometheus families, the top lists hold addresses: who fills the table.
 */
public interface StateTableMXBean {

    /** States in the table at the last read (0 before the first). */
    long getStates();

    /** States whose rule numbers matched no single label of the rules read last. */
    long getUnattributed();

    /** When the last breakdown was read (ISO-8601), "" before the first. */
    String getReadAt();

    double getReadSeconds();

    long getReads();

    /** Reads skipped because the table held more than states.max-states. */
    long getSkipped();

    long getErrors();

    /** Why the last read did not give a breakdown, "" when it did. */
    String getLastProblem();

    /** Native memory held for DIOCGETSTATES between reads. */
    long getBufferBytes();

    /** States per "anchor:label" ("label" in the main ruleset; "" for unlabelled rules). */
    Map<String, Long> getByLabel();

    Map<String, Long> getByInterface();

    /** States per "protocol af", e.g. "tcp inet". */
    Map<String, Long> getByProtocol();

    Map<String, Long> getByTcpState();

    /** States per age bucket ("60s" … "86400s", "older"). */
    Map<String, Long> getByAge();

    List<AddressRow> getTopSourcesByStates();

    List<AddressRow> getTopSourcesByBytes();

    List<AddressRow> getTopDestinationsByStates();

    List<AddressRow> getTopDestinationsByBytes();

    /** False when more distinct addresses were seen than counted: the top lists are then lower bounds. */
    boolean isTopExact();

    /** One address of a top list. */
    final class AddressRow {
        private final String address;
        private final long states;
        private final long bytes;

        @java.beans.ConstructorProperties({"address", "states", "bytes"})
        public AddressRow(String address, long states, long bytes) {
            this.address = address;
            this.states = states;
            this.bytes = bytes;
        }

        public String getAddress() {
            return address;
        }

        public long getStates() {
            return states;
        }

        public long getBytes() {
            return bytes;
        }
    }
}
