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

    /** {@link #read} as characters, for APIs that take a {@code char[]} the caller then clears. */
    public static char[] readChars(Path file) throws IOException {
        return read(file).toCharArray();
    }
}
