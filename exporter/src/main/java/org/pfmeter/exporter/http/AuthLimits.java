package org.pfmeter.exporter.http;

import java.time.Duration;

/**
 * What checking passwords may cost. A basic-authentication password is checked with PBKDF2 (210,000
 * rounds, a CPU-second's fraction by design), so unchecked it lets anyone without a password burn the
 * CPU that /metrics and the health probes need.
 *
 * @param concurrentChecks PBKDF2 checks running at once; a request beyond this is a 503 at once
 *                         (Retry-After) instead of waiting on a handler thread
 * @param freeFailures     failed checks a client may make before it must wait
 * @param firstBackoff     the wait after the first failure beyond those; each further failure doubles it
 * @param maxBackoff       the longest wait
 * @param forgetAfter      a client's failures are forgotten this long after its last one
 * @param maxClients       clients whose failures are remembered (the oldest are forgotten first)
 * @param cacheEntries     recent successful checks remembered, so that a dashboard polling with the
 *                         same password does not pay PBKDF2 for every request
 * @param cacheTtl         how long a successful check is remembered
 */
public record AuthLimits(int concurrentChecks, int freeFailures, Duration firstBackoff, Duration maxBackoff,
        Duration forgetAfter, int maxClients, int cacheEntries, Duration cacheTtl) {

    public static final AuthLimits DEFAULTS = new AuthLimits(1, 10, Duration.ofSeconds(1), Duration.ofMinutes(1),
            Duration.ofMinutes(15), 10_000, 64, Duration.ofMinutes(5));

    public AuthLimits {
        if (concurrentChecks < 1 || freeFailures < 0 || maxClients < 1 || cacheEntries < 0
                || firstBackoff.isNegative() || firstBackoff.isZero() || maxBackoff.compareTo(firstBackoff) < 0
                || forgetAfter.compareTo(maxBackoff) < 0 || cacheTtl.isNegative()) {
            throw new IllegalArgumentException("authentication limits out of range: " + concurrentChecks + " checks, "
                    + freeFailures + " free failures, back-off " + firstBackoff + " to " + maxBackoff + ", forget after "
                    + forgetAfter + ", " + maxClients + " clients, cache " + cacheEntries + " for " + cacheTtl);
        }
    }
}
