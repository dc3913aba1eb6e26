package org.pfmeter.accounting.store;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.h2.engine.SysProperties;
import org.h2.tools.Server;

/**
 * Lets {@code pfmeter billing} and {@code usage} read the embedded H2 database while the daemon
 * holds it. H2 allows one process per database file, so the daemon serves its open database to
 * other processes of this host: an H2 TCP server on {@code 127.0.0.1}, on a port the OS picks,
 * that serves only this database and only to a client that names a random 256-bit key. Port and
 * key are announced in {@code data-dir/pfmeter.server} (mode 0600, in the daemon's data directory,
 * mode 750), so only the daemon's user and root can read through it; {@link
 * AccountingStore#openForReading} finds it there.
 *
 * <p>Why not H2's automatic mixed mode (AUTO_SERVER=TRUE), which does the same with the lock file:
 * H2 2.5 starts that server with {@code -tcpAllowOthers} on every address of the host (a database
 * port on a firewall's outside interfaces, guarded only by the key), and refuses AUTO_SERVER
 * together with DB_CLOSE_ON_EXIT=FALSE, on which the daemon's orderly shutdown relies (its last
 * writes must not race H2's own shutdown hook). A client that finds no running daemon would also
 * open the file itself, read-write, and as root leave root-owned files in the daemon's directory.
 *
 * <p>The server listens on loopback only: {@code Main} sets {@code h2.bindAddress=127.0.0.1}
 * before H2 loads, H2 reads it once ({@link SysProperties#BIND_ADDRESS}), and {@link #start}
 * refuses any other address; without {@code -tcpAllowOthers} H2 also drops a connection that does
 * not come from this host. A reader's URL carries the daemon's own settings ({@link
 * StoreConfig#serverUrl}): should the daemon have no session open when a reader connects (its
 * writer reconnects after a failure), the database is opened as the daemon opens it. Reports read
 * in transactions of their own (MVCC: the ledger's writes neither wait for them nor see them).
 * Stopping the daemon closes the readers' connections: their command fails and writes nothing.
 */
public final class ReadServer implements AutoCloseable {

    /** The file in the data directory that announces the server. */
    public static final String FILE_NAME = "pfmeter.server";

    private static final Pattern LINE = Pattern.compile("port=(\\d{1,5})\\nkey=([0-9a-f]{64})\\n");

    private final Server server;
    private final Path file;

    private ReadServer(Server server, Path file) {
        this.server = server;
        this.file = file;
    }

    /**
     * Serves {@code store}'s embedded H2 database on loopback and announces it in the data directory.
     *
     * @throws IllegalStateException when the store is not an embedded H2 database open for writing,
     *                               or H2's bind address is not a loopback address
     * @throws StoreException        when the server cannot start or the file cannot be written
     */
    public static ReadServer start(AccountingStore store) {
        StoreConfig config = store.config();
        Path dir = config.h2DataDir().orElseThrow(() -> new IllegalStateException(
                "only the embedded H2 database needs a read server: " + config.target()));
        if (store.readOnly()) {
            throw new IllegalStateException("a read-only store cannot serve " + config.target());
        }
        String bind = SysProperties.BIND_ADDRESS;
        if (!loopback(bind)) {
            throw new IllegalStateException("H2 would listen on " + (bind == null ? "every address" : bind)
                    + ", not on loopback (the JVM must start with -Dh2.bindAddress=127.0.0.1, as pfmeter's main does)");
        }
        String key = HexFormat.of().formatHex(random());
        Path file = dir.resolve(FILE_NAME);
        Server server = null;
        try {
            server = Server.createTcpServer("-tcpPort", "0", "-tcpDaemon", "-ifExists",
                    "-key", key, "file:" + dir.resolve(StoreConfig.H2_FILE_NAME)).start();
            announce(file, server.getPort(), key);
            return new ReadServer(server, file);
        } catch (SQLException | IOException | RuntimeException e) {
            if (server != null) {
                server.stop();
            }
            throw StoreErrors.classify(config.target(), "cannot serve the accounting database to billing on loopback", e);
        }
    }

    private static byte[] random() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return b;
    }

    private static boolean loopback(String bind) {
        if (bind == null || bind.isBlank()) {
            return false;
        }
        try {
            return InetAddress.getByName(bind).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Written to a new owner-only file, then renamed over the old one: a reader never sees half a file. */
    private static void announce(Path file, int port, String key) throws IOException {
        Path tmp = file.resolveSibling(FILE_NAME + ".new");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(tmp);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("cannot create " + tmp + ": it appeared again", e);
        }
        Files.writeString(tmp, "port=" + port + "\nkey=" + key + "\n", StandardCharsets.US_ASCII);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * The JDBC URL of the running daemon's server announced in {@code dir}, or empty when none is
     * announced. Only port and key are taken from the file; the URL is built here.
     *
     * @throws DatabaseNotReadyException when the file exists but this user may not read it
     * @throws StoreException            when the file is not one {@link #start} writes
     */
    static Optional<String> announced(StoreConfig config, Path dir) {
        Path file = dir.resolve(FILE_NAME);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (AccessDeniedException e) {
            throw new DatabaseNotReadyException(config.target(), "the daemon runs and holds " + config.target()
                    + "; it lets only its own user and root read through it, and this user cannot read " + file
                    + ": run this command as root or as the daemon's user (doas -u _pfmeter pfmeter ...)");
        } catch (IOException e) {
            throw StoreErrors.classify(config.target(), "cannot read " + file, e);
        }
        Matcher m = LINE.matcher(text);
        int port = m.matches() ? Integer.parseInt(m.group(1)) : 0;
        if (port < 1 || port > 65535) {
            throw new StoreException(StoreException.Kind.OTHER, config.target(), file
                    + " is not a server file pfmeter wrote (port=…, key=…); remove it if no pfmeter daemon runs", null);
        }
        return Optional.of(config.serverUrl(port, m.group(2)));
    }

    /** The loopback port, for logs and tests. */
    public int port() {
        return server.getPort();
    }

    /** The file announcing the server. */
    public Path file() {
        return file;
    }

    /** Withdraws the announcement, then stops the server (closing readers' connections). */
    @Override
    public void close() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a stale file only costs the next reader one refused connection
        }
        server.stop();
    }
}
