package org.pfmeter.exporter.http;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one door to the billing users' passwords, shared by every authenticated endpoint. Each
 * {@code Authorization: Basic} header would cost a PBKDF2 check on a handler thread; here that cost
 * is bounded ({@link AuthLimits}): a client that keeps failing must wait (429), a check beyond the
 * few that may run at once is refused at once (503) rather than queued on a handler thread, and
 * credentials that passed recently are recognised without PBKDF2. So a flood of bad credentials
 * costs at most {@code concurrentChecks} cores and never the threads that serve /metrics and
 * /-/healthy.
 */
public final class Authenticator {

    private static final Logger LOG = LoggerFactory.getLogger(Authenticator.class);

    /** What a check decided. */
    sealed interface Outcome {
        /** The password is right (or was, less than the cache's TTL ago). */
        record Accepted(String user) implements Outcome {
        }

        /** No credentials, or wrong ones: 401. */
        record Refused() implements Outcome {
        }

        /** The client failed too often and must wait this long: 429, no check made. */
        record Wait(Duration retryAfter) implements Outcome {
        }

        /** As many checks as may run at once are running: 503, no check made. */
        record Busy() implements Outcome {
        }
    }

    private final Credentials credentials;
    private final Semaphore checks;
    private final FailureBackoff backoff;
    private final VerifiedCache verified;
    private final RateLimitedLog failures;

    public Authenticator(Credentials credentials) {
        this(credentials, Clock.systemUTC(), AuthLimits.DEFAULTS);
    }

    public Authenticator(Credentials credentials, Clock clock, AuthLimits limits) {
        this.credentials = credentials;
        this.checks = new Semaphore(limits.concurrentChecks());
        this.backoff = new FailureBackoff(clock, limits);
        this.verified = new VerifiedCache(clock, limits.cacheTtl(), limits.cacheEntries());
        this.failures = new RateLimitedLog(clock, Duration.ofMinutes(1), LOG::warn);
    }

    /** Checks the {@code Authorization} header of a request from {@code client} (a {@link ClientKey}). */
    Outcome check(String authorization, String client) {
        Optional<String> decoded = Credentials.decode(authorization);
        if (decoded.isEmpty()) {
            // no header (how a browser asks what to send) or not basic credentials: nothing was
            // checked, nothing cost anything, so it is not counted
            return new Outcome.Refused();
        }
        // before the cache: a client in back-off must not test guesses against it for free
        Optional<Duration> wait = backoff.waitFor(client);
        if (wait.isPresent()) {
            return new Outcome.Wait(wait.get());
        }
        Optional<String> known = verified.lookup(decoded.get());
        if (known.isPresent()) {
            return new Outcome.Accepted(known.get());
        }
        if (!checks.tryAcquire()) {
            return new Outcome.Busy();
        }
        Optional<String> user;
        try {
            user = credentials.check(decoded.get());
        } finally {
            checks.release();
        }
        if (user.isPresent()) {
            verified.remember(decoded.get(), user.get());
            backoff.succeeded(client);
            return new Outcome.Accepted(user.get());
        }
        backoff.failed(client);
        failures.log("HTTP basic authentication failed for a request from " + client);
        return new Outcome.Refused();
    }

    /**
     * The authenticated user of a request; when there is none the answer (401, 429 or 503) has been
     * sent and the caller only returns.
     */
    public Optional<String> authenticate(Request request, Response response, Callback callback, boolean head) {
        Outcome o = check(request.getHeaders().get(HttpHeader.AUTHORIZATION),
                ClientKey.of(request.getConnectionMetaData().getRemoteSocketAddress()));
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        if (o instanceof Outcome.Accepted a) {
            return Optional.of(a.user());
        } else if (o instanceof Outcome.Wait w) {
            long seconds = Math.max(1, (w.retryAfter().toMillis() + 999) / 1000);
            response.getHeaders().put(HttpHeader.RETRY_AFTER, seconds);
            HttpServer.send(response, callback, 429, "text/plain; charset=utf-8",
                    "too many failed logins from your address; retry in " + seconds + " s\n", head);
        } else if (o instanceof Outcome.Busy) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, 1);
            HttpServer.send(response, callback, 503, "text/plain; charset=utf-8",
                    "too many logins being checked at once; retry in 1 s\n", head);
        } else {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Basic realm=\"pfmeter billing\", charset=\"UTF-8\"");
            HttpServer.send(response, callback, 401, "text/plain; charset=utf-8", "authentication required\n", head);
        }
        return Optional.empty();
    }
}
