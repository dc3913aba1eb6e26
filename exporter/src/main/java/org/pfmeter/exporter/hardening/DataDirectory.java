package org.pfmeter.exporter.hardening;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;
import org.pfmeter.pf.os.PrivilegeDrop.PrivilegeException;

/**
 * The data directory holds the billing database and the announcement of the read server (port and
 * key): pfmeter creates it mode 0700 whatever the umask, and checks one that exists. Access for the
 * directory's group is accepted (INSTALL makes {@code /var/db/pfmeter} {@code _pfmeter:_pfmeter}
 * 750, the daemon's own group). Access for every user is not what anyone wants: a directory others
 * may write is refused (they could replace the database, so the bills), one others may read or enter
 * gets a warning with the chmod that fixes it.
 */
public final class DataDirectory {

    /** The mode pfmeter creates the data directory with. */
    public static final String MODE = "rwx------";

    private DataDirectory() {
    }

    /**
     * Creates {@code dir} (and missing parents, as the umask says) with mode 0700, or checks the one
     * that exists.
     *
     * @return a warning to log, or empty
     * @throws PrivilegeException when others may write the directory
     */
    public static Optional<String> prepare(Path dir) throws IOException, PrivilegeException {
        if (!Files.exists(dir)) {
            create(dir);
            return Optional.empty();
        }
        return check(dir);
    }

    /** Creates {@code dir} mode 0700; its missing parents as the umask says. */
    public static void create(Path dir) throws IOException {
        Path parent = dir.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.createDirectory(dir);
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(MODE));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: nothing to set
        }
    }

    /**
     * @return a warning when others may read or enter {@code dir}
     * @throws PrivilegeException when others may write it
     */
    public static Optional<String> check(Path dir) throws PrivilegeException {
        Set<PosixFilePermission> p;
        try {
            p = Files.getPosixFilePermissions(dir);
        } catch (UnsupportedOperationException | IOException e) {
            return Optional.empty();
        }
        String mode = PosixFilePermissions.toString(p);
        if (p.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new PrivilegeException("the data directory " + dir + " (data-dir) may be written by every user (" + mode
                    + "), who could replace the billing database; restrict it: chmod 700 " + dir);
        }
        if (p.contains(PosixFilePermission.OTHERS_READ) || p.contains(PosixFilePermission.OTHERS_EXECUTE)) {
            return Optional.of("the data directory " + dir + " (data-dir) may be read or entered by every user (" + mode
                    + "); it holds the billing data: restrict it with chmod 700 " + dir);
        }
        return Optional.empty();
    }
}
