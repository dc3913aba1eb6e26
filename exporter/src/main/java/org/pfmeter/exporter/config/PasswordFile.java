package org.pfmeter.exporter.config;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A password kept in a file of its own, the one rule for every {@code *-password-file} key and
 * option: the file's first line, without its line end and without white space around it, so that a
 * file written by {@code echo} or an editor works. The CLI's {@code --jdbc-password-file} used to
 * take the whole file and the daemon the first line, so one file could mean two passwords.
 */
public final class PasswordFile {

    private PasswordFile() {
    }

    /** The password in {@code file} (empty for an empty file). */
    public static String read(Path file) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line = r.readLine();
            return line == null ? "" : line.strip();
        }
    }

    /**
     * Why {@code file} is no place for a password, or empty: as the JDK's own JMX agent insists, a
     * password file that others than its owner may read or write is refused, with the chmod that
     * fixes it. Every password file is checked by this one rule (remote JMX, key stores, the
     * database: {@code accounting.jdbc-password-file} and the CLI's {@code --jdbc-password-file}).
     */
    public static java.util.Optional<String> othersMayAccess(Path file) {
        try {
            java.util.Set<java.nio.file.attribute.PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.contains(java.nio.file.attribute.PosixFilePermission.GROUP_READ)
                    || perms.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ)
                    || perms.contains(java.nio.file.attribute.PosixFilePermission.GROUP_WRITE)
                    || perms.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_WRITE)) {
                return java.util.Optional.of(file + " may be read or written by others than its owner; restrict it (chmod 600 "
                        + file + ")");
            }
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system: nothing to check
        }
        return java.util.Optional.empty();
    }

    /** {@link #read} as characters, for APIs that take a {@code char[]} the caller then clears. */
    public static char[] readChars(Path file) throws IOException {
        return read(file).toCharArray();
    }
}
