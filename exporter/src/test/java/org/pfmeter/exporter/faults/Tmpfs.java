package org.pfmeter.exporter.faults;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs the test mounts (as root; CI runs as root) so that it can fill the disk under the
 * H2 database for real. When it cannot be mounted the test FAILS and says why: a full disk is
 * never skipped silently.
 */
final class Tmpfs implements AutoCloseable {

    private final Path dir;

    private Tmpfs(Path dir) {
        this.dir = dir;
    }

    static Tmpfs mount(Path dir, String size) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        String out = run(List.of("mount", "-t", "tmpfs", "-o", "size=" + size + ",mode=0700", "tmpfs", dir.toString()));
        if (out != null) {
            fail("cannot mount a " + size + " tmpfs on " + dir + " to fill the disk under the database (" + out.trim()
                    + "); this test needs root, or CAP_SYS_ADMIN in a container (docker run --privileged or"
                    + " --cap-add SYS_ADMIN). It is not skipped: a full disk is a fault the daemon must survive.");
        }
        return new Tmpfs(dir);
    }

    Path dir() {
        return dir;
    }

    /** Free bytes on the tmpfs. */
    long free() throws IOException {
        return Files.getFileStore(dir).getUsableSpace();
    }

    /** Writes a file until the disk is full; returns it (delete it to free the space). */
    Path fill() throws IOException {
        Path filler = dir.resolve("filler");
        byte[] block = new byte[64 * 1024];
        try (var out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            if (free() > 64 * 1024) {
                throw full;
            }
        }
        // the last partial block: fill the remainder to the byte
        try (var out = Files.newOutputStream(filler, java.nio.file.StandardOpenOption.APPEND)) {
            while (true) {
                out.write(0);
                out.flush();
            }
        } catch (IOException full) {
            return filler;
        }
    }

    private static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            return e.getMessage();
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return String.join(" ", cmd) + " did not finish within 30 s";
        }
        return p.exitValue() == 0 ? null : String.join(" ", cmd) + " exited " + p.exitValue() + ": " + out;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        String out = run(List.of("umount", "-l", dir.toString()));
        if (out != null) {
            throw new IOException("cannot unmount " + dir + ": " + out);
        }
    }
}
