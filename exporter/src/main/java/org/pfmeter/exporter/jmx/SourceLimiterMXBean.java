package org.pfmeter.exporter.jmx;

import java.util.List;

/**
 * {@code org.pfmeter:type=SourceLimiter,name=…}: one source limiter (OpenBSD 7.9 and later) from
 * the latest poll, with the address entries holding the most states. Addresses appear here (and in
 * {@code pfmeter show limiters -v}), never in Prometheus labels. Every value is of one poll.
 */
public interface SourceLimiterMXBean {

    int getId();

    String getName();

    long getEntries();

    long getLimit();

    long getRateLimit();

    long getRateSeconds();

    String getOverloadTable();

    long getInetPrefix();

    long getInet6Prefix();

    long getNentries();

    long getInuse();

    java.math.BigInteger getAddrallocs();

    java.math.BigInteger getAddrnomem();

    java.math.BigInteger getAdmitted();

    java.math.BigInteger getAddrlimited();

    java.math.BigInteger getHardlimited();

    java.math.BigInteger getRatelimited();

    /** Address entries read in the poll. */
    long getSourceCount();

    /** The entries holding the most states, most first (the reader keeps {@code PfReader.DEFAULT_SOURCE_TOP}, 10). */
    List<SourceEntryInfo> getTopSources();
}
