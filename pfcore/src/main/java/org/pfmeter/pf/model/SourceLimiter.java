package org.pfmeter.pf.model;

/**
 * One source limiter as DIOCGETNSOURCELIM reports it ({@code struct pfioc_sourcelim}, pfvar.h
 * 1.548), with its address entries (DIOCGETNSOURCE) aggregated. Components are named after the
 * struct's fields; the kernel keeps no description.
 *
 * @param entries         the most address entries the limiter tracks at once
 * @param limit           the most states one address entry may hold
 * @param rateLimit       {@code rate.limit}: states one address may create per {@code rateSeconds}
 * @param overloadTable   {@code overload_tblname}: the table an address goes to above
 *                        {@code overloadHwm} states (and leaves below {@code overloadLwm}); empty if none
 * @param inetPrefix      addresses are masked to this prefix length before they become entries (IPv4)
 * @param inet6Prefix     the same for IPv6
 * @param nentries        address entries now (gauge)
 * @param inuse           states held across all entries now (gauge)
 * @param addrallocs      entries allocated (counter)
 * @param addrnomem       entries that could not be allocated for lack of memory (counter)
 * @param admitted        states let through (counter)
 * @param addrlimited     states refused because {@code entries} was reached (counter)
 * @param hardlimited     states refused because an entry held {@code limit} states (counter)
 * @param ratelimited     states refused because of the rate (counter)
 * @param sources         the address entries, aggregated while they were read
 */
public record SourceLimiter(int id, String name, long entries, long limit, long rateLimit, long rateSeconds,
        String overloadTable, long overloadHwm, long overloadLwm, long inetPrefix, long inet6Prefix, long nentries,
        long inuse, long addrallocs, long addrnomem, long admitted, long addrlimited, long hardlimited, long ratelimited,
        SourceEntries sources) {
}
