package org.pfmeter.pf.model;

/**
 * One address entry of a source limiter ({@code struct pfioc_source_entry}). It holds an address:
 * it goes to JMX and {@code pfmeter show}, never into a metric label.
 *
 * @param address the masked address as inet_ntop(3) prints it
 * @param inuse   states the address holds now
 */
public record SourceEntry(AddressFamily af, long rdomain, String address, long inuse, long admitted, long hardlimited,
        long ratelimited) {
}
