package org.pfmeter.exporter.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Per-client back-off after failed password checks: a client may fail {@code freeFailures} times,
 * then must wait {@code firstBackoff} before the next check, twice as long after each further
 * failure, at most {@code maxBackoff}. A success forgets the client's failures, and so does
 * {@code forgetAfter} without one. While a client must wait its requests are refused without any
 * check, so guessing passwords costs the guesser time and the server nothing. At most
 * {@code maxClients} clients are remembered, the least recently failed forgotten first.
 */
final class FailureBackoff {

    private static final class Failures {
        int count;
        Instant last;
        Instant until = Instant.MIN;
    }

    private final Clock clock;
    private final AuthLimits limits;
    private final Map<String, Failures> clients;

    FailureBackoff(Clock clock, AuthLimits limits) {
        this.clock = clock;
        this.limits = limits;
        this.clients = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
                return size() > limits.maxClients();
            }
        };
    }

    /** How long {@code client} must still wait before its next check; empty when it may check now. */
    synchronized Optional<Duration> waitFor(String client) {
        Failures f = clients.get(client);
        if (f == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (!now.isBefore(f.last.plus(limits.forgetAfter()))) {
            clients.remove(client);
            return Optional.empty();
        }
        return now.isBefore(f.until) ? Optional.of(Duration.between(now, f.until)) : Optional.empty();
    }

    synchronized void failed(String client) {
        Instant now = clock.instant();
        Failures f = clients.get(client);
        if (f == null || !now.isBefore(f.last.plus(limits.forgetAfter()))) {
            f = new Failures();
            clients.put(client, f);
        }
        f.count++;
        f.last = now;
        int beyond = f.count - limits.freeFailures();
        if (beyond > 0) {
            // 1, 2, 4, … times the first back-off; the shift is capped long before it could overflow
            Duration wait = limits.firstBackoff().multipliedBy(1L << Math.min(beyond - 1, 20));
            f.until = now.plus(wait.compareTo(limits.maxBackoff()) > 0 ? limits.maxBackoff() : wait);
        }
    }

    synchronized void succeeded(String client) {
        clients.remove(client);
    }

    synchronized int clients() {
        return clients.size();
    }
}
