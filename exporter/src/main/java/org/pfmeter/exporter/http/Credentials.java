package org.pfmeter.exporter.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * HTTP basic credentials for the endpoints that reveal billing data. The file holds one
 * {@code user:pbkdf2-sha256:ITERATIONS:SALT:HASH} line per user (salt and hash in base64), as
 * {@code pfmeter passwd USER} prints it; no plain passwords are stored. Checking an unknown user costs
 * the same as checking a wrong password, so responses do not tell which users exist.
 */
public final class Credentials {

    private static final String SCHEME = "pbkdf2-sha256";
    static final int ITERATIONS = 210_000;
    private static final int KEY_BITS = 256;

    private record Entry(int iterations, byte[] salt, byte[] hash) {
    }

    /** PBKDF2, a seam so that tests can see how much work each check does. */
    @FunctionalInterface
    interface Kdf {
        byte[] derive(char[] password, byte[] salt, int iterations);
    }

    private final Map<String, Entry> users;
    private final Entry decoy;
    private final Kdf kdf;

    private Credentials(Map<String, Entry> users, Kdf kdf) {
        this.users = users;
        this.kdf = kdf;
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        // As costly as the costliest real user: an unknown name must not answer faster.
        int iterations = users.values().stream().mapToInt(Entry::iterations).max().orElse(ITERATIONS);
        this.decoy = new Entry(iterations, salt, new byte[KEY_BITS / 8]);
    }

    /** Loads a credentials file; each bad line is named. */
    public static Credentials load(Path file) throws IOException {
        return load(file, Credentials::derive);
    }

    static Credentials load(Path file, Kdf kdf) throws IOException {
        Map<String, Entry> users = new HashMap<>();
        int n = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            n++;
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            String[] f = t.split(":");
            if (f.length != 5 || !f[1].equals(SCHEME)) {
                throw new IllegalArgumentException(file + " line " + n + ": expected user:" + SCHEME
                        + ":ITERATIONS:SALT:HASH as printed by 'pfmeter passwd USER'");
            }
            int iterations;
            byte[] salt;
            byte[] hash;
            try {
                iterations = Integer.parseInt(f[2]);
                salt = Base64.getDecoder().decode(f[3]);
                hash = Base64.getDecoder().decode(f[4]);
            } catch (IllegalArgumentException e) {
                // the message of a base64 error may quote the hash: say only which field is wrong
                throw new IllegalArgumentException(file + " line " + n + ": ITERATIONS must be a number and SALT and HASH"
                        + " base64, as printed by 'pfmeter passwd USER'");
            }
            if (iterations < 10_000 || iterations > 10_000_000 || salt.length < 8 || hash.length != KEY_BITS / 8) {
                throw new IllegalArgumentException(file + " line " + n + ": ITERATIONS must be 10000 to 10000000, SALT at"
                        + " least 8 bytes and HASH " + KEY_BITS / 8 + " bytes; create the line with 'pfmeter passwd USER'");
            }
            if (users.put(f[0], new Entry(iterations, salt, hash)) != null) {
                throw new IllegalArgumentException(file + " line " + n + ": user " + f[0] + " appears twice");
            }
        }
        if (users.isEmpty()) {
            throw new IllegalArgumentException(file + " holds no users; add one with 'pfmeter passwd USER >> " + file + "'");
        }
        return new Credentials(users, kdf);
    }

    /** A line for the file: {@code user:pbkdf2-sha256:…}. */
    public static String line(String user, char[] password) {
        checkUser(user);
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        byte[] hash = derive(password, salt, ITERATIONS);
        return user + ":" + SCHEME + ":" + ITERATIONS + ":" + Base64.getEncoder().encodeToString(salt) + ":"
                + Base64.getEncoder().encodeToString(hash);
    }

    /**
     * Refuses a user name the file or HTTP basic authentication cannot carry.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static void checkUser(String user) {
        // a line break would put a line of the user's choosing into the credentials file, and HTTP
        // basic authentication cannot carry control characters anyway (RFC 7617)
        for (int i = 0; i < user.length(); i++) {
            char c = user.charAt(i);
            int type = Character.getType(c);
            if (Character.isISOControl(c) || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR) {
                throw new IllegalArgumentException(String.format("a user name must not contain control characters;"
                        + " character %d of the name given is U+%04X", i + 1, (int) c));
            }
        }
        if (user.isEmpty() || user.contains(":")) {
            throw new IllegalArgumentException("a user name must be non-empty and must not contain ':'");
        }
    }

    /** The user an {@code Authorization: Basic …} header names, when its password is right. */
    public Optional<String> authenticate(String authorization) {
        return decode(authorization).flatMap(this::check);
    }

    /** The {@code user:password} a basic {@code Authorization} header carries; empty when it is not one. */
    static Optional<String> decode(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return decoded.indexOf(':') < 0 ? Optional.empty() : Optional.of(decoded);
    }

    /** The user of decoded {@code user:password} credentials when the password is right: one PBKDF2. */
    Optional<String> check(String decoded) {
        int colon = decoded.indexOf(':');
        String user = decoded.substring(0, colon);
        char[] password = decoded.substring(colon + 1).toCharArray();
        Entry e = users.get(user);
        boolean known = e != null;
        Entry check = known ? e : decoy;
        boolean ok = MessageDigest.isEqual(kdf.derive(password, check.salt(), check.iterations()), check.hash());
        return known && ok ? Optional.of(user) : Optional.empty();
    }

    static byte[] derive(char[] password, byte[] salt, int iterations) {
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(new PBEKeySpec(password, salt, iterations, KEY_BITS)).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available in this JVM", e);
        }
    }
}
