package org.pfmeter.exporter.http;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Recent successful password checks, so that a dashboard sending the same credentials every few
 * seconds pays PBKDF2 once per {@code ttl}, not per request. Only successes enter, so a flood of
 * wrong passwords cannot push a real user out. Entries are keyed by an HMAC of the whole
 * {@code user:password} under a key drawn at start and never stored: the map holds no password and
 * nothing a heap dump could be tested against offline. Bounded in size (least recently used goes
 * first) and in age (an entry is good for {@code ttl} after its check, however often it is used).
 */
final class VerifiedCache {

    private record Entry(String user, Instant expires) {
    }

    private final Clock clock;
    private final Duration ttl;
    private final int capacity;
    private final SecretKeySpec key;
    private final Map<String, Entry> entries;

    VerifiedCache(Clock clock, Duration ttl, int capacity) {
        this.clock = clock;
        this.ttl = ttl;
        this.capacity = capacity;
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        this.key = new SecretKeySpec(k, "HmacSHA256");
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > VerifiedCache.this.capacity;
            }
        };
    }

    /** The user these exact credentials were checked for, if that was less than {@code ttl} ago. */
    synchronized Optional<String> lookup(String credentials) {
        String k = keyOf(credentials);
        Entry e = entries.get(k);
        if (e == null) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(e.expires())) {
            entries.remove(k);
            return Optional.empty();
        }
        return Optional.of(e.user());
    }

    /** Remembers that {@code credentials} ({@code user:password} as sent) are {@code user}'s. */
    synchronized void remember(String credentials, String user) {
        if (capacity == 0 || ttl.isZero()) {
            return;
        }
        entries.put(keyOf(credentials), new Entry(user, clock.instant().plus(ttl)));
    }

    synchronized int size() {
        return entries.size();
    }

    private String keyOf(String credentials) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal(credentials.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }
}
