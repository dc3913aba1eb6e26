package org.pfmeter.exporter.http;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.pfmeter.accounting.store.StoreException;

/**
 * What the billing paths can do now, asked by the HTTP server on every request: they do not exist
 * ({@link Off}, a 404: no billing users or no accounting), they wait for the accounting database
 * ({@link Pending}, a 503 naming what is wrong, but only to a billing user), or they are served
 * ({@link Serving}). The daemon listens before its database is open, and a PostgreSQL server that
 * cannot be reached at start keeps billing pending until it answers.
 */
public sealed interface BillingState permits BillingState.Off, BillingState.Pending, BillingState.Serving {

    /** Billing is not configured: its paths are not found. */
    static BillingState off() {
        return Off.OFF;
    }

    static BillingState serving(BillingEndpoint endpoint) {
        return new Serving(endpoint);
    }

    /**
     * @param reason     what is wrong, for a billing user: "the accounting database … cannot be reached yet; …"
     * @param retryAfter when to ask again, when known (sent as {@code Retry-After})
     */
    static BillingState pending(Authenticator users, String reason, Optional<Duration> retryAfter) {
        return new Pending(users, reason, retryAfter);
    }

    /** Billing is not configured. */
    enum Off implements BillingState {
        OFF
    }

    /** Billing is served by {@code endpoint}. */
    record Serving(BillingEndpoint endpoint) implements BillingState {
        public Serving {
            Objects.requireNonNull(endpoint, "endpoint");
        }
    }

    /**
     * Billing is configured but its database is not open (yet): a billing path answers 503 with
     * {@code reason}, after the billing users' authentication, so that nobody else learns anything.
     */
    record Pending(Authenticator users, String reason, Optional<Duration> retryAfter) implements BillingState {
        public Pending {
            Objects.requireNonNull(users, "users");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(retryAfter, "retryAfter");
        }

        /** Checks the credentials as every billing path does (401, 429 or a 503 of its own), then {@link #send}. */
        void answer(Request request, Response response, Callback callback, boolean head) {
            if (users.authenticate(request, response, callback, head).isPresent()) {
                send(response, callback, head);
            }
        }

        /** The 503, for a request already authenticated. */
        void send(Response response, Callback callback, boolean head) {
            retryAfter.ifPresent(d -> response.getHeaders().put(HttpHeader.RETRY_AFTER, Math.max(1, d.toSeconds())));
            unavailable(reason, response, callback, head);
        }
    }

    /**
     * The 503 of a billing path whose open database failed (the server went away, a disk is full):
     * names the database and the kind of failure, never the driver's message.
     */
    static void storeFailed(StoreException e, Response response, Callback callback, boolean head) {
        unavailable("the accounting database " + e.target() + " cannot be used now (" + e.kind().label()
                + "); see the daemon's log", response, callback, head);
    }

    private static void unavailable(String reason, Response response, Callback callback, boolean head) {
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        HttpServer.send(response, callback, 503, "text/plain; charset=utf-8", "Billing unavailable: " + reason + "\n", head);
    }
}
