package org.pfmeter.pf.model;

/**
 * Every field of {@code struct pf_status} (DIOCGETSTATUS) plus the adaptive syncookie watermarks
 * (DIOCGETSYNFLWATS). Counters are unsigned 64-bit; the u_int32_t gauges are held in a long.
 *
 * @param since              kernel uptime in seconds at which pf was enabled (not wall-clock time)
 * @param hostid             as stored by the kernel (network byte order); pfctl prints ntohl of it
 * @param checksum           {@code pf_chksum} as 32 lowercase hex digits; changes with every ruleset load
 * @param syncookiesInflight {@code syncookies_inflight[2]}: unacknowledged syncookies per key epoch
 */
public record Status(
        boolean running,
        long since,
        int debug,
        long hostid,
        int reass,
        long stateid,
        long states,
        long statesHalfopen,
        long srcNodes,
        long fragments,
        boolean syncookiesActive,
        SyncookieMode syncookiesMode,
        long[] syncookiesInflight,
        EnumCounters<Reason> counters,
        EnumCounters<LimitCounter> limitCounters,
        EnumCounters<TableOperation> stateOperations,
        EnumCounters<TableOperation> srcNodeOperations,
        EnumCounters<TableOperation> fragmentOperations,
        LogInterface logInterface,
        String checksum,
        long syncookieHiwat,
        long syncookieLowat) {

    public Status {
        syncookiesInflight = syncookiesInflight.clone();
    }

    @Override
    public long[] syncookiesInflight() {
        return syncookiesInflight.clone();
    }

    /** Both epochs of {@code syncookies_inflight} added. */
    public long syncookiesInflightTotal() {
        return syncookiesInflight[0] + syncookiesInflight[1];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Status s
                && running == s.running && since == s.since && debug == s.debug && hostid == s.hostid
                && reass == s.reass && stateid == s.stateid && states == s.states
                && statesHalfopen == s.statesHalfopen && srcNodes == s.srcNodes && fragments == s.fragments
                && syncookiesActive == s.syncookiesActive && syncookiesMode == s.syncookiesMode
                && java.util.Arrays.equals(syncookiesInflight, s.syncookiesInflight)
                && counters.equals(s.counters) && limitCounters.equals(s.limitCounters)
                && stateOperations.equals(s.stateOperations) && srcNodeOperations.equals(s.srcNodeOperations)
                && fragmentOperations.equals(s.fragmentOperations) && logInterface.equals(s.logInterface)
                && checksum.equals(s.checksum) && syncookieHiwat == s.syncookieHiwat
                && syncookieLowat == s.syncookieLowat;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(stateid, states, checksum, counters, java.util.Arrays.hashCode(syncookiesInflight));
    }

    @Override
    public String toString() {
        return "Status{running=" + running + ", states=" + states + ", checksum=" + checksum + ", counters=" + counters + "}";
    }
}
