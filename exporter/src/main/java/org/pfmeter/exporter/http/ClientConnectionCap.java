package org.pfmeter.exporter.http;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.SelectableChannel;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.jetty.io.SelectorManager;
import org.eclipse.jetty.util.IO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At most {@code max} open connections per client ({@link ClientKey}): the connection limit alone
 * lets one host hold every slot with idle or slow sockets, and then a health probe from anywhere
 * waits in the kernel's accept queue until it times out. A socket beyond its client's share is
 * closed as soon as it is accepted, before any byte is read; other clients are not affected.
 * Counted on accepted sockets (Jetty's accept listener), so a TLS handshake in progress counts.
 * Connections from 127.0.0.1 and ::1 are not capped: a TLS proxy on the host itself (relayd, as the
 * README suggests for billing) connects from there on behalf of every client; the overall
 * connection limit still holds for them.
 */
final class ClientConnectionCap implements SelectorManager.AcceptListener {

    private static final Logger LOG = LoggerFactory.getLogger(ClientConnectionCap.class);

    private final int max;
    private final Map<SelectableChannel, String> clientOf = new HashMap<>();
    private final Map<String, Integer> open = new HashMap<>();
    private final RateLimitedLog refusals;

    ClientConnectionCap(int max, Clock clock) {
        this.max = max;
        this.refusals = new RateLimitedLog(clock, Duration.ofMinutes(1), LOG::warn);
    }

    @Override
    public void onAccepting(SelectableChannel channel) {
        SocketAddress peer = peer(channel);
        if (peer instanceof java.net.InetSocketAddress i && isHostItself(i.getAddress())) {
            return;
        }
        String client = ClientKey.of(peer);
        boolean over;
        synchronized (this) {
            int n = open.merge(client, 1, Integer::sum);
            clientOf.put(channel, client);
            over = n > max;
        }
        if (over) {
            // Jetty then fails to register the closed channel and reports onAcceptFailed, which uncounts it
            refusals.log("HTTP: closed a connection from " + client + ", which already holds " + max
                    + " (the most one client may hold)");
            IO.close(channel);
        }
    }

    @Override
    public void onAcceptFailed(SelectableChannel channel, Throwable cause) {
        release(channel);
    }

    @Override
    public void onClosed(SelectableChannel channel) {
        release(channel);
    }

    /** Open connections of a client; for tests. */
    synchronized int open(String client) {
        return open.getOrDefault(client, 0);
    }

    private synchronized void release(SelectableChannel channel) {
        String client = clientOf.remove(channel);
        if (client != null) {
            open.computeIfPresent(client, (k, n) -> n <= 1 ? null : n - 1);
        }
    }

    private static boolean isHostItself(java.net.InetAddress a) {
        if (a == null) {
            return false;
        }
        byte[] b = a.getAddress();
        return b.length == 4 ? b[0] == 127 && b[1] == 0 && b[2] == 0 && b[3] == 1 : a.isLoopbackAddress();
    }

    private static SocketAddress peer(SelectableChannel channel) {
        try {
            return channel instanceof java.nio.channels.SocketChannel s ? s.getRemoteAddress() : null;
        } catch (IOException e) {
            return null;
        }
    }
}
