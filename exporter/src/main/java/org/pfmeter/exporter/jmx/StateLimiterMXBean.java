package org.pfmeter.exporter.jmx;

/**
 * {@code org.pfmeter:type=StateLimiter,name=…}: one state limiter (OpenBSD 7.9 and later) from the
 * latest poll; every value is of that one poll. Counters are unsigned 64-bit.
 */
public interface StateLimiterMXBean {

    int getId();

    String getName();

    long getLimit();

    long getRateLimit();

    long getRateSeconds();

    long getInuse();

    java.math.BigInteger getAdmitted();

    java.math.BigInteger getHardlimited();

    java.math.BigInteger getRatelimited();
}
