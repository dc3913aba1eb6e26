package org.pfmeter.pf.model;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * pf's status: every field of OpenBSD's {@code struct pf_status} (DIOCGETSTATUS) plus the adaptive
 * syncookie watermarks (DIOCGETSYNFLWATS), or what FreeBSD's PFNL_CMD_GET_STATUS answers. Counters
 * are unsigned 64-bit; the u_int32_t gauges are held in a long.
 *
 * <p>Each platform's counter tables keep their own kernel's names ({@link KernelCounters}). A field a
 * platform's kernel does not report is empty (an empty Optional, an empty table or array), never 0:
 * FreeBSD has no state id, half-open count, syncookie mode, in-flight count or watermarks, and only
 * its main branch reports fragments.
 *
 * @param since              when pf was last enabled or disabled, in seconds on {@code sinceClock}
 * @param hostid             as OpenBSD stores it (network byte order); pfctl prints ntohl of it
 * @param checksum           {@code pf_chksum} as 32 lowercase hex digits; changes with every ruleset load
 * @param syncookiesInflight {@code syncookies_inflight[2]}: unacknowledged syncookies per key epoch;
 *                           empty when the kernel does not report them
 * @param sinceClock         the clock {@code since} is read on
 */
public record Status(
        boolean running,
        long since,
        int debug,
        long hostid,
        int reass,
        OptionalLong stateid,
        long states,
        OptionalLong statesHalfopen,
        long srcNodes,
        OptionalLong fragments,
        boolean syncookiesActive,
        Optional<SyncookieMode> syncookiesMode,
        long[] syncookiesInflight,
        KernelCounters counters,
        KernelCounters limitCounters,
        KernelCounters stateOperations,
        KernelCounters srcNodeOperations,
        KernelCounters fragmentOperations,
        LogInterface logInterface,
        String checksum,
        OptionalLong syncookieHiwat,
        OptionalLong syncookieLowat,
        SinceClock sinceClock) {

    public Status {
        Objects.requireNonNull(sinceClock, "sinceClock");
        if (syncookiesInflight.length != 0 && syncookiesInflight.length != 2) {
            throw new IllegalArgumentException("syncookies_inflight has 2 epochs, got " + syncookiesInflight.length);
        }
        syncookiesInflight = syncookiesInflight.clone();
    }

    /** OpenBSD's {@code struct pf_status}: every field present, {@code since} on the uptime clock. */
    public Status(
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
        this(running, since, debug, hostid, reass, OptionalLong.of(stateid), states, OptionalLong.of(statesHalfopen),
                srcNodes, OptionalLong.of(fragments), syncookiesActive, Optional.of(syncookiesMode), syncookiesInflight,
                counters, limitCounters, stateOperations, srcNodeOperations, fragmentOperations, logInterface, checksum,
                OptionalLong.of(syncookieHiwat), OptionalLong.of(syncookieLowat), SinceClock.UPTIME);
    }

    @Override
    public long[] syncookiesInflight() {
        return syncookiesInflight.clone();
    }

    /** Both epochs of {@code syncookies_inflight} added; empty when the kernel does not report them. */
    public OptionalLong syncookiesInflightTotal() {
        return syncookiesInflight.length == 0 ? OptionalLong.empty()
                : OptionalLong.of(syncookiesInflight[0] + syncookiesInflight[1]);
    }

    /**
     * When pf was last enabled or disabled, as Unix seconds: {@code since} itself on the wall clock,
     * boot time + {@code since} on the uptime clock (empty when the boot time is unknown).
     */
    public OptionalLong startEpochSecond(Optional<Instant> bootTime) {
        if (sinceClock == SinceClock.WALL_CLOCK) {
            return OptionalLong.of(since);
        }
        return bootTime.map(b -> OptionalLong.of(b.getEpochSecond() + since)).orElse(OptionalLong.empty());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Status s
                && running == s.running && since == s.since && debug == s.debug && hostid == s.hostid
                && reass == s.reass && stateid.equals(s.stateid) && states == s.states
                && statesHalfopen.equals(s.statesHalfopen) && srcNodes == s.srcNodes && fragments.equals(s.fragments)
                && syncookiesActive == s.syncookiesActive && syncookiesMode.equals(s.syncookiesMode)
                && Arrays.equals(syncookiesInflight, s.syncookiesInflight)
                && counters.equals(s.counters) && limitCounters.equals(s.limitCounters)
                && stateOperations.equals(s.stateOperations) && srcNodeOperations.equals(s.srcNodeOperations)
                && fragmentOperations.equals(s.fragmentOperations) && logInterface.equals(s.logInterface)
                && checksum.equals(s.checksum) && syncookieHiwat.equals(s.syncookieHiwat)
                && syncookieLowat.equals(s.syncookieLowat) && sinceClock == s.sinceClock;
    }

    @Override
    public int hashCode() {
        return Objects.hash(stateid, states, checksum, counters, Arrays.hashCode(syncookiesInflight));
    }

    @Override
    public String toString() {
        return "Status{running=" + running + ", states=" + states + ", checksum=" + checksum + ", counters=" + counters + "}";
    }
}
