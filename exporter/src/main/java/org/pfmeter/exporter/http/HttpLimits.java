package org.pfmeter.exporter.http;

import java.time.Duration;

/**
 * What one client may cost the HTTP side. Requests are small GETs (a scrape, a health check, a
 * billing query), so the limits are tight; none is a configuration key because no legitimate client
 * comes near them.
 *
 * @param maxHeaderBytes  the request line and all headers together (431 or 414 above it)
 * @param maxUriChars     path and query (414 above it)
 * @param idleTimeout     a connection on which nothing moves for this long is closed
 * @param requestTimeout  a request whose bytes have started to arrive must be complete within this
 *                        long, however slowly it trickles in (slowloris); the idle timeout alone
 *                        would be reset by every byte. A TLS handshake must be over this long after
 *                        the socket was accepted.
 * @param maxConnections  open connections (accepted sockets, TLS handshakes included); beyond this
 *                        new ones wait in the kernel's accept queue
 * @param maxThreads      Jetty's thread pool, which bounds concurrent handlers
 * @param maxConnectionsPerClient open connections of one client (an IPv4 address or an IPv6 /64);
 *                        a socket beyond it is closed when accepted, so one host cannot take every slot.
 *                        Not applied to 127.0.0.1 and ::1, where a local TLS proxy connects from
 *                        for all its clients
 */
public record HttpLimits(int maxHeaderBytes, int maxUriChars, Duration idleTimeout, Duration requestTimeout,
        int maxConnections, int maxThreads, int maxConnectionsPerClient) {

    public static final HttpLimits DEFAULTS = new HttpLimits(8 * 1024, 2048, Duration.ofSeconds(30),
            Duration.ofSeconds(10), 64, 16, 8);

    public HttpLimits {
        if (maxHeaderBytes < 1024 || maxUriChars < 64 || maxConnections < 1 || maxThreads < 4
                || maxConnectionsPerClient < 1 || maxConnectionsPerClient > maxConnections
                || idleTimeout.isNegative() || idleTimeout.isZero() || requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("HTTP limits out of range: headers " + maxHeaderBytes + " bytes, URI "
                    + maxUriChars + " characters, idle " + idleTimeout + ", request " + requestTimeout + ", "
                    + maxConnections + " connections (" + maxConnectionsPerClient + " per client), " + maxThreads + " threads");
        }
    }

    /** Limits where one client may hold every connection. */
    public HttpLimits(int maxHeaderBytes, int maxUriChars, Duration idleTimeout, Duration requestTimeout,
            int maxConnections, int maxThreads) {
        this(maxHeaderBytes, maxUriChars, idleTimeout, requestTimeout, maxConnections, maxThreads, maxConnections);
    }
}
