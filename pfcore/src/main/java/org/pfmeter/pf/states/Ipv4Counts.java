package org.pfmeter.pf.states;

/**
 * One side's counts per IPv4 address after a read, as the breakdown's top lists read them: {@link
 * Ipv4Table} (hashed while the states are walked) or {@link SortedIpv4Counts.Side} (sorted after).
 */
interface Ipv4Counts {

    /** Distinct addresses counted. */
    int size();

    /** States of addresses beyond the capacity, not counted per address. */
    long untracked();

    /** The address at {@code i}, its first byte in the low 8 bits (as pf_addr lies in memory, read little-endian). */
    int address(int i);

    long states(int i);

    long bytes(int i);

    /** The {@code n} addresses with the most states and the {@code n} with the most bytes, each largest first, ties to the smaller address. */
    Ipv4Table.Top top(int n);
}
