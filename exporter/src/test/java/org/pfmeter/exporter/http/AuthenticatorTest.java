package org.pfmeter.exporter.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pfmeter.exporter.http.Authenticator.Outcome;
import org.pfmeter.pf.sim.SimClock;

/**
 * What a password check may cost, on a clock the test steps: PBKDF2 runs once per dashboard and
 * TTL, a client that keeps failing waits longer and longer without costing a check, other clients
 * are not affected, and checks beyond the concurrent bound are refused at once instead of queued.
 */
class AuthenticatorTest {

    static final AuthLimits LIMITS = new AuthLimits(1, 3, Duration.ofSeconds(1), Duration.ofSeconds(8),
            Duration.ofMinutes(15), 100, 4, Duration.ofMinutes(5));

    @TempDir
    Path dir;

    final SimClock clock = SimClock.manual(Instant.parse("2026-12-03T12:00:00Z"));
    final AtomicInteger derivations = new AtomicInteger();

    /** alice and bob, hashed with real PBKDF2 at the lowest round count a file may name (fast enough for tests). */
    Credentials credentials(Credentials.Kdf kdf) throws Exception {
        Path f = dir.resolve("billing.users");
        Files.writeString(f, line("alice", "correct horse") + "\n" + line("bob", "battery staple") + "\n");
        return Credentials.load(f, kdf);
    }

    /** Counts every PBKDF2 derivation. */
    Authenticator authenticator() throws Exception {
        return new Authenticator(credentials((password, salt, iterations) -> {
            derivations.incrementAndGet();
            return Credentials.derive(password, salt, iterations);
        }), clock, LIMITS);
    }

    static String line(String user, String password) {
        byte[] salt = "saltsaltsaltsalt".getBytes(StandardCharsets.US_ASCII);
        return user + ":pbkdf2-sha256:10000:" + Base64.getEncoder().encodeToString(salt) + ":"
                + Base64.getEncoder().encodeToString(Credentials.derive(password.toCharArray(), salt, 10_000));
    }

    static String basic(String userAndPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aDashboardPaysPbkdf2OncePerTtlNotPerRequest() throws Exception {
        Authenticator a = authenticator();
        for (int i = 0; i < 50; i++) {
            assertThat(a.check(basic("alice:correct horse"), "192.0.2.1")).isEqualTo(new Outcome.Accepted("alice"));
            clock.advance(Duration.ofSeconds(5)); // 250 s in all: inside the 5 min TTL
        }
        assertThat(derivations).hasValue(1);
        clock.advance(Duration.ofMinutes(1)); // past the TTL of the one check
        assertThat(a.check(basic("alice:correct horse"), "192.0.2.1")).isEqualTo(new Outcome.Accepted("alice"));
        assertThat(derivations).hasValue(2);
    }

    @Test
    void theCacheKnowsExactCredentialsOnlyAndCannotBeFilledByFailures() throws Exception {
        Authenticator a = authenticator();
        assertThat(a.check(basic("alice:correct horse"), "192.0.2.1")).isEqualTo(new Outcome.Accepted("alice"));
        // the same user with another password is checked (and refused), never answered from the cache
        assertThat(a.check(basic("alice:correct horsf"), "192.0.2.2")).isEqualTo(new Outcome.Refused());
        assertThat(a.check(basic("alice:"), "192.0.2.3")).isEqualTo(new Outcome.Refused());
        assertThat(derivations).hasValue(3);
        // many failures from many clients leave alice's entry where it is
        for (int i = 0; i < 20; i++) {
            assertThat(a.check(basic("mallory" + i + ":x"), "198.51.100." + i)).isEqualTo(new Outcome.Refused());
        }
        int before = derivations.get();
        assertThat(a.check(basic("alice:correct horse"), "192.0.2.1")).isEqualTo(new Outcome.Accepted("alice"));
        assertThat(derivations).hasValue(before);
    }

    @Test
    void aClientThatKeepsFailingWaitsLongerEachTimeWithoutCostingACheck() throws Exception {
        Authenticator a = authenticator();
        String mallory = "203.0.113.7";
        for (int i = 0; i < LIMITS.freeFailures(); i++) {
            assertThat(a.check(basic("alice:guess" + i), mallory)).isEqualTo(new Outcome.Refused());
        }
        // the free failures are used: the next failure starts the back-off
        assertThat(a.check(basic("alice:guess"), mallory)).isEqualTo(new Outcome.Refused());
        int checks = derivations.get();
        assertThat(a.check(basic("alice:correct horse"), mallory)).isEqualTo(new Outcome.Wait(Duration.ofSeconds(1)));
        assertThat(derivations).as("no check while waiting").hasValue(checks);
        // another client is not affected, and its success does not free mallory
        assertThat(a.check(basic("bob:battery staple"), "192.0.2.10")).isEqualTo(new Outcome.Accepted("bob"));
        clock.advance(Duration.ofMillis(400));
        assertThat(a.check(basic("alice:x"), mallory)).isEqualTo(new Outcome.Wait(Duration.ofMillis(600)));
        // each further failure doubles the wait, up to the longest
        for (long expected : new long[] {2, 4, 8, 8}) {
            clock.advance(Duration.ofMinutes(1));
            assertThat(a.check(basic("alice:y"), mallory)).isEqualTo(new Outcome.Refused());
            assertThat(a.check(basic("alice:y"), mallory)).isEqualTo(new Outcome.Wait(Duration.ofSeconds(expected)));
        }
        // a success once the wait is over forgets the failures
        clock.advance(Duration.ofSeconds(8));
        assertThat(a.check(basic("alice:correct horse"), mallory)).isEqualTo(new Outcome.Accepted("alice"));
        assertThat(a.check(basic("alice:wrong"), mallory)).isEqualTo(new Outcome.Refused());
        assertThat(a.check(basic("alice:wrong"), mallory)).isEqualTo(new Outcome.Refused());
    }

    @Test
    void failuresAreForgottenAfterAWhileAndHeadersThatCostNothingAreNotCounted() throws Exception {
        Authenticator a = authenticator();
        String c = "203.0.113.8";
        for (int i = 0; i <= LIMITS.freeFailures(); i++) {
            a.check(basic("alice:guess" + i), c);
        }
        assertThat(a.check(basic("alice:guess"), c)).isInstanceOf(Outcome.Wait.class);
        clock.advance(LIMITS.forgetAfter());
        for (int i = 0; i < LIMITS.freeFailures(); i++) {
            assertThat(a.check(basic("alice:again" + i), c)).isEqualTo(new Outcome.Refused());
        }
        // no header, another scheme, no colon: refused without a check, and not counted
        for (int i = 0; i < 20; i++) {
            for (String h : new String[] {null, "Bearer abc", "Basic ***", basic("alice")}) {
                assertThat(a.check(h, c)).isEqualTo(new Outcome.Refused());
            }
        }
        assertThat(a.check(basic("alice:correct horse"), c)).isEqualTo(new Outcome.Accepted("alice"));
    }

    @Test
    void checksBeyondTheConcurrentBoundAreRefusedAtOnceNotQueued() throws Exception {
        CountDownLatch inCheck = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Authenticator a = new Authenticator(credentials((password, salt, iterations) -> {
            inCheck.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Credentials.derive(password, salt, iterations);
        }), clock, LIMITS);
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            Future<Outcome> first = other.submit(() -> a.check(basic("alice:correct horse"), "192.0.2.1"));
            assertThat(inCheck.await(30, TimeUnit.SECONDS)).isTrue();
            // the one permitted check is running: the next is turned away at once, from any client
            assertThat(a.check(basic("bob:battery staple"), "192.0.2.2")).isEqualTo(new Outcome.Busy());
            assertThat(a.check(basic("mallory:x"), "192.0.2.3")).isEqualTo(new Outcome.Busy());
            release.countDown();
            assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo(new Outcome.Accepted("alice"));
        } finally {
            release.countDown();
            other.shutdownNow();
        }
        // the permit is back
        assertThat(a.check(basic("mallory:x"), "192.0.2.3")).isEqualTo(new Outcome.Refused());
    }
}
