package org.pfmeter.exporter.show;

import org.pfmeter.pf.model.SourceEntry;
import org.pfmeter.pf.model.SourceLimiter;
import org.pfmeter.pf.model.StateLimiter;

/**
 * {@code pfmeter show limiters}: each limiter's configuration in pf.conf's grammar (as pfctl prints
 * rules), then its counters named by the kernel's struct fields; with {@code -v}, a source limiter's
 * address entries holding the most states. Counters print unsigned.
 */
final class LimiterText {

    private LimiterText() {
    }

    private static String u(long v) {
        return Long.toUnsignedString(v);
    }

    private static String rate(long limit, long seconds) {
        return limit == 0 ? "" : " rate " + u(limit) + "/" + u(seconds);
    }

    static void state(StringBuilder b, StateLimiter l) {
        b.append("state limiter \"").append(Vis.vis(l.name())).append("\" id ").append(l.id()).append(" limit ").append(u(l.limit()))
                .append(rate(l.rateLimit(), l.rateSeconds())).append('\n');
        b.append(String.format("  [ inuse: %-8s admitted: %-12s hardlimited: %-10s ratelimited: %-10s ]%n",
                u(l.inuse()), u(l.admitted()), u(l.hardlimited()), u(l.ratelimited())));
    }

    static void source(StringBuilder b, SourceLimiter l, boolean verbose) {
        b.append("source limiter \"").append(Vis.vis(l.name())).append("\" id ").append(l.id()).append(" entries ").append(u(l.entries()))
                .append(" limit ").append(u(l.limit())).append(rate(l.rateLimit(), l.rateSeconds()));
        if (!l.overloadTable().isEmpty()) {
            b.append(" table <").append(Vis.vis(l.overloadTable())).append("> above ").append(u(l.overloadHwm())).append(" below ")
                    .append(u(l.overloadLwm()));
        }
        b.append(" inet mask ").append(l.inetPrefix()).append(" inet6 mask ").append(l.inet6Prefix()).append('\n');
        b.append(String.format("  [ nentries: %-6s inuse: %-8s admitted: %-12s addrlimited: %-8s hardlimited: %-8s ratelimited: %-8s ]%n",
                u(l.nentries()), u(l.inuse()), u(l.admitted()), u(l.addrlimited()), u(l.hardlimited()), u(l.ratelimited())));
        b.append(String.format("  [ addrallocs: %-10s addrnomem: %-8s ]%n", u(l.addrallocs()), u(l.addrnomem())));
        if (verbose) {
            b.append("  ").append(l.sources().top().size()).append(" of ").append(l.sources().count())
                    .append(" address entries, most states first:\n");
            for (SourceEntry e : l.sources().top()) {
                b.append(String.format("    %-40s inuse: %-6s admitted: %-10s hardlimited: %-8s ratelimited: %s%n",
                        e.address() + (e.rdomain() == 0 ? "" : " rdomain " + e.rdomain()), u(e.inuse()), u(e.admitted()),
                        u(e.hardlimited()), u(e.ratelimited())));
            }
        }
    }
}
