package org.pfmeter.exporter.http;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLEngine;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.io.ssl.SslHandshakeListener;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Closes connections whose request trickles in too slowly. Jetty's idle timeout restarts with every
 * byte, so a client sending one header byte every few seconds (slowloris) would hold a connection
 * for as long as it likes; with a bounded number of connections a handful of such clients would lock
 * everyone else out. Jetty never gives such a client a thread (headers are read by the selector),
 * so the scarce thing protected here is the connection slot.
 *
 * <p>Every sweep looks at each HTTP connection's counters: a connection that has received bytes
 * but completed no new request since is "in a request" from the first sweep that saw it so, and is
 * closed once that lasts longer than the timeout. Idle keep-alive connections (no new bytes) are
 * left to the idle timeout. Requests here have no bodies, so a request is complete once its header is.
 *
 * <p>With HTTPS the HTTP connection sees no byte until the TLS handshake is over, so a ClientHello
 * sent a byte at a time would never start the clock, and every byte restarts the idle timeout. A TLS
 * connection must therefore finish its handshake within the same timeout of being accepted (the
 * guard is a handshake listener of the connector's SslConnectionFactory), or it is closed.
 */
final class SlowRequestGuard extends AbstractLifeCycle implements Connection.Listener, SslHandshakeListener {

    private record Handshake(Connection connection, long openedAt) {
    }

    private static final class Progress {
        long messages;
        long bytes;
        long since = -1;

        Progress(long messages, long bytes) {
            this.messages = messages;
            this.bytes = bytes;
        }
    }

    private final long timeoutNanos;
    private final long sweepNanos;
    private final Scheduler scheduler;
    private final LongSupplier nanoTime;
    private final Map<Connection, Progress> open = new ConcurrentHashMap<>();
    private final Map<SSLEngine, Handshake> handshakes = new ConcurrentHashMap<>();
    private volatile Scheduler.Task next;

    SlowRequestGuard(Duration timeout, Scheduler scheduler, LongSupplier nanoTime) {
        this.timeoutNanos = timeout.toNanos();
        this.sweepNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(50), timeoutNanos / 4);
        this.scheduler = scheduler;
        this.nanoTime = nanoTime;
    }

    @Override
    public void onOpened(Connection c) {
        if (c instanceof SslConnection ssl) {
            handshakes.put(ssl.getSSLEngine(), new Handshake(c, nanoTime.getAsLong()));
        }
        // With TLS the SslConnection is told too; it answers -1 (unknown), only the HTTP
        // connection counts requests (when their headers are complete).
        if (c.getMessagesIn() >= 0) {
            open.put(c, new Progress(c.getMessagesIn(), c.getBytesIn()));
        }
    }

    @Override
    public void onClosed(Connection c) {
        open.remove(c);
        if (c instanceof SslConnection ssl) {
            handshakes.remove(ssl.getSSLEngine());
        }
    }

    @Override
    public void handshakeSucceeded(Event event) {
        handshakes.remove(event.getSSLEngine());
    }

    @Override
    public void handshakeFailed(Event event, Throwable failure) {
        handshakes.remove(event.getSSLEngine());
    }

    @Override
    protected void doStart() {
        schedule();
    }

    @Override
    protected void doStop() {
        Scheduler.Task t = next;
        if (t != null) {
            t.cancel();
        }
        open.clear();
        handshakes.clear();
    }

    private void schedule() {
        next = scheduler.schedule(() -> {
            sweep();
            if (isRunning()) {
                schedule();
            }
        }, sweepNanos, TimeUnit.NANOSECONDS);
    }

    /** One look at every connection; package-private for tests. */
    void sweep() {
        long now = nanoTime.getAsLong();
        for (Handshake h : handshakes.values()) {
            if (now - h.openedAt() > timeoutNanos && h.connection() instanceof SslConnection ssl) {
                handshakes.remove(ssl.getSSLEngine());
                h.connection().close();
            }
        }
        for (Map.Entry<Connection, Progress> e : open.entrySet()) {
            Connection c = e.getKey();
            Progress p = e.getValue();
            long messages = c.getMessagesIn();
            long bytes = c.getBytesIn();
            if (messages != p.messages) {
                p.messages = messages;
                p.bytes = bytes;
                p.since = -1;
                continue;
            }
            if (p.since < 0 && bytes != p.bytes) {
                p.since = now;
            }
            if (p.since >= 0 && now - p.since > timeoutNanos) {
                open.remove(c);
                c.close();
            }
        }
    }
}
