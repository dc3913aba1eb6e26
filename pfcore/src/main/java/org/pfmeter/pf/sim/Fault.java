package org.pfmeter.pf.sim;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The faults the simulated pf can inject, each reachable from tests ({@link SimulatedPf#inject}),
 * from a plan ({@link FaultSchedule}) and from the command line ({@code --sim-fault NAME}, names as
 * {@link #cliName()}). Each takes effect at the simulated second it is injected (or scheduled).
 *
 * <p>Four are <em>lasting</em> ({@link #lasting()}): they hold until {@link SimulatedPf#clear} or the
 * end of their scheduled duration. The others happen at an instant; clearing them does nothing
 * (except that clearing a BUSY_RULE_WALK no walk has met yet cancels it).
 */
public enum Fault {
    /**
     * The next rule walk of a non-empty ruleset sees EBUSY from DIOCGETRULE halfway through, as when
     * a ruleset is committed mid-walk, and that ticket stays stale (EBUSY) until DIOCXEND. The
     * ruleset and its counters are not actually replaced, so a fresh walk succeeds.
     */
    BUSY_RULE_WALK(false),
    /**
     * Every DIOCGETRULE answers EBUSY until cleared, whatever its ticket: a reader's bounded restarts
     * run out and the rules subsystem fails with a BUSY error. Every other subsystem still reads.
     */
    BUSY_ALWAYS(true),
    /**
     * A new ruleset is committed (main ruleset and every anchor): pf_chksum changes, every rule
     * counter (evaluations, packets, bytes, states_tot) restarts from zero, every ruleset's version
     * moves so open tickets are stale (DIOCGETRULE EBUSY, DIOCXEND still 0), the queue ticket (the
     * main ruleset's version) changes and queue counters restart. States stay (on the old rules), so
     * states_cur of the new rules builds up again. Interface and table counters are untouched.
     * Counts no DIOCGETRULE returned before the reload are booked in {@link GroundTruth} as discarded.
     */
    RULESET_RELOAD(false),
    /**
     * Counters are zeroed in place: every rule (as DIOCGETRULE with PF_GET_CLR_CNTR: evaluations,
     * packets, bytes, states_tot), every interface (pfctl -i IF -z; pfik_tzero is stamped) and every
     * table (pfctl -T zero; pfrts_tzero stamped). The checksum, the tickets, the status counters and
     * {@code since} are unchanged. Unread rule counts are booked as discarded.
     */
    ZERO_COUNTERS(false),
    /**
     * An interface is destroyed and its kif goes with it: the last interface by name that carries
     * traffic, is named by no rule (the kernel keeps a rule-referenced kif), is not the loginterface
     * and is not skipped (vlan300 in SMALL). Groups lose it (and vanish when empty); the traffic of
     * rules counted on it stops.
     */
    INTERFACE_VANISH(false),
    /**
     * An interface appears: the one that vanished last comes back (a new kif: counters from zero,
     * pfik_tzero 0 until listed, its rules' traffic resumes); if none vanished, a new VLAN interface
     * (vlan400, vlan500, …, in groups all and vlan) appears without traffic.
     */
    INTERFACE_APPEAR(false),
    /** Every ioctl answers EACCES until cleared (a descriptor without permission). */
    EACCES(true),
    /**
     * The kernel speaks another release's ABI until cleared: a 7.8 simulator speaks the 7.9/8.0
     * layout and a 7.9 or 8.0 one speaks 7.8. Requests whose argument size differs (DIOCGETRULES,
     * DIOCGETRULE) are unknown numbers and answer {@link SimConfig#unknownRequestErrno()} (ENOTTY);
     * DIOCGETQSTATS keeps its number but writes the other release's hfsc_class_stats (EINVAL when
     * the caller's buffer is too small for it).
     */
    ABI_MISMATCH(true),
    /**
     * A state-table flood: extra states climb linearly to PF_LIMIT_STATES within 10 simulated
     * minutes and stay at the limit until cleared (then they expire within a minute). Half-open
     * states follow; adaptive syncookies switch on after 5 minutes (syncookies_active, the inflight
     * gauges, LCNT synfloods/syncookies); once at the limit, PFRES state-limit counts the refused
     * states. SMALL has {@code set limit states 10000}, LARGE the default 100000.
     */
    STATE_RAMP(true),
    /**
     * A table with the {@code counters} flag is flushed and filled again ({@code pfctl -t T -T flush;
     * pfctl -t T -T add -f file}): the first such table in kernel order (acme-nets in SMALL). Every
     * entry's counters restart from nothing (no counters until its next packet) with a new
     * {@code pfras_tzero}; the table's own counters are untouched. Unread counts are booked as
     * discarded in the per-address ground truth.
     */
    TABLE_FLUSH(false),
    /**
     * One entry is deleted and added again ({@code pfctl -t T -T delete A; pfctl -t T -T add A}): the
     * busiest entry of the first table with the {@code counters} flag. Its counters start again with a
     * new {@code pfras_tzero}.
     */
    ADDRESS_READD(false),
    /**
     * pf is restarted with the same ruleset ({@code pfctl -d; pfctl -F all -f /etc/pf.conf -e}):
     * {@code since} becomes the current uptime, the status counters restart from zero, the state
     * table is flushed, the ruleset is reloaded (rule and queue counters from zero, tickets stale,
     * pf_chksum unchanged because the ruleset is the same) and tables are recreated (counters from
     * zero). Interface counters are untouched.
     */
    PF_RESTART(false);

    private final boolean lasting;

    Fault(boolean lasting) {
        this.lasting = lasting;
    }

    /** True for faults that hold until cleared; false for those that happen at an instant. */
    public boolean lasting() {
        return lasting;
    }

    /** "busy-rule-walk", "ruleset-reload", …. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Fault parse(String s) {
        for (Fault f : values()) {
            if (f.cliName().equals(s) || f.name().equalsIgnoreCase(s)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown simulator fault '" + s + "'; known faults: "
                + Arrays.stream(values()).map(Fault::cliName).collect(Collectors.joining(", ")));
    }
}
