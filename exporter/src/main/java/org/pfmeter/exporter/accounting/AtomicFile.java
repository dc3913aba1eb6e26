package org.pfmeter.exporter.accounting;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes a file whole or not at all: into a hidden temporary file of the same directory, synced,
 * then renamed over the name (rename(2) within one file system is atomic), and the directory synced
 * so that the rename survives a crash. A reader of the directory never sees a partial file.
 */
final class AtomicFile {

    /** Billing data: the owner writes, its group reads, others nothing. */
    static final Set<PosixFilePermission> MODE = PosixFilePermissions.fromString("rw-r-----");

    private AtomicFile() {
    }

    static void write(Path dir, String name, byte[] content) throws IOException {
        Path tmp = Files.createTempFile(dir, "." + name + ".", ".tmp", PosixFilePermissions.asFileAttribute(MODE));
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer b = ByteBuffer.wrap(content);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot rename " + tmp + " to " + name + " atomically: " + e.getMessage(), e);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        syncDirectory(dir);
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // some systems cannot open or sync a directory as a channel: the rename is still atomic, only
            // its durability then waits for the file system's own flush
        }
    }
}
