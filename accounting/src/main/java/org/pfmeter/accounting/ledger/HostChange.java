package org.pfmeter.accounting.ledger;

/**
 * What changed for pf as a whole between the previous stored poll of a host and this one.
 *
 * @param firstObservation the ledger has never seen this host: every label is a baseline
 * @param checksumChanged  {@code pf_status.pf_chksum} differs: the main ruleset was committed
 * @param pfRestarted      {@code pf_status.since} differs: pf was enabled again (or the host rebooted)
 */
public record HostChange(boolean firstObservation, boolean checksumChanged, boolean pfRestarted) {

    public static final HostChange NONE = new HostChange(false, false, false);
    public static final HostChange FIRST = new HostChange(true, false, false);
}
