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

    private final Map<String, Entry> users;
    private final Entry decoy;

    private Credentials(Map<String, Entry> users) {
        this.users = users;
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        this.decoy = new Entry(ITERATIONS, salt, new byte[KEY_BITS / 8]);
    }

    /** Loads a credentials file; each bad line is named. */
    public static Credentials load(Path file) throws IOException {
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
            try {
                users.put(f[0], new Entry(Integer.parseInt(f[2]), Base64.getDecoder().decode(f[3]), Base64.getDecoder().decode(f[4])));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + " line " + n + ": " + e.getMessage());
            }
        }
        if (users.isEmpty()) {
            throw new IllegalArgumentException(file + " holds no users; add one with 'pfmeter passwd USER >> " + file + "'");
        }
        return new Credentials(users);
    }

    /** A line for the file: {@code user:pbkdf2-sha256:…}. */
    public static String line(String user, char[] password) {
        if (user.isEmpty() || user.contains(":")) {
            throw new IllegalArgumentException("a user name must be non-empty and must not contain ':'");
        }
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        byte[] hash = derive(password, salt, ITERATIONS);
        return user + ":" + SCHEME + ":" + ITERATIONS + ":" + Base64.getEncoder().encodeToString(salt) + ":"
                + Base64.getEncoder().encodeToString(hash);
    }

    /** The user an {@code Authorization: Basic …} header names, when its password is right. */
    public Optional<String> authenticate(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return Optional.empty();
        }
        String user = decoded.substring(0, colon);
        char[] password = decoded.substring(colon + 1).toCharArray();
        Entry e = users.get(user);
        boolean known = e != null;
        Entry check = known ? e : decoy;
        boolean ok = MessageDigest.isEqual(derive(password, check.salt(), check.iterations()), check.hash());
        return known && ok ? Optional.of(user) : Optional.empty();
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations) {
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(new PBEKeySpec(password, salt, iterations, KEY_BITS)).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available in this JVM", e);
        }
    }
}
