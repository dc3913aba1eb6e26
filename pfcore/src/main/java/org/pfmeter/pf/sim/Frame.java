package org.pfmeter.pf.sim;

/**
 * Every counter of the simulated kernel at one simulated second, before the offsets that resets
 * leave behind ("raw": cumulative since the simulator started, 0 at its start). Computed in one pass
 * over the rules; {@link SimKernel} adds its offsets to turn raw values into what pf reports.
 */
final class Frame {

    long tau = Long.MIN_VALUE;

    // per rule; an anchor-call rule holds the sums of the rules directly in the anchor it calls
    final long[] packetsIn;
    final long[] packetsOut;
    final long[] bytesIn;
    final long[] bytesOut;
    final long[] connections;          // states created (states_tot before offsets)
    final long[] statesCur;            // states attached to the rule now (created since the last reload)

    final long[] evaluations;          // per ruleset: packets without state that entered it

    // per topology interface, [af][dir][action] flattened
    final long[] ifPackets;
    final long[] ifBytes;
    final long[] ifStates;

    // per table (Topology.tables order), [dir][op] flattened
    final long[] tablePackets;
    final long[] tableBytes;
    final long[] tableMatch;
    final long[] tableNomatch;

    // per queue: what was sent out through it (transmitted + dropped)
    final long[] queuePackets;
    final long[] queueBytes;

    long totalPackets;                 // every packet pf saw on any interface (a state search each)
    long totalConnections;             // every state created by a rule
    long connectionsExpired;           // states created by a rule that expired (or were flushed) since
    long fragmentsIn;                  // fragments queued for reassembly
    long fragmentsDone;                // fragments reassembled or timed out

    Frame(Topology t) {
        int n = t.rules;
        packetsIn = new long[n];
        packetsOut = new long[n];
        bytesIn = new long[n];
        bytesOut = new long[n];
        connections = new long[n];
        statesCur = new long[n];
        evaluations = new long[t.rulesets.size()];
        ifPackets = new long[t.interfaces.size() * 8];
        ifBytes = new long[t.interfaces.size() * 8];
        ifStates = new long[t.interfaces.size()];
        tablePackets = new long[t.tables.size() * 8];
        tableBytes = new long[t.tables.size() * 8];
        tableMatch = new long[t.tables.size()];
        tableNomatch = new long[t.tables.size()];
        queuePackets = new long[t.queues.size()];
        queueBytes = new long[t.queues.size()];
    }

    /** The states currently in the state table that rules created. */
    long states() {
        return totalConnections - connectionsExpired;
    }
}
