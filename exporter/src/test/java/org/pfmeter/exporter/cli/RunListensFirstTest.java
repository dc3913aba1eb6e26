package org.pfmeter.exporter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pfmeter run} takes its HTTP port before it opens or migrates the database: a second
 * pfmeter on the same port fails at once with the address and the fix, and creates no database.
 */
class RunListensFirstTest {

    @TempDir
    Path tmp;

    @Test
    void aPortInUseIsNamedAndTheDatabaseIsNeverCreated() throws Exception {
        Path data = tmp.resolve("data");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String listen = "127.0.0.1:" + taken.getLocalPort();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            // the daemon logs through slf4j-simple, which writes to whatever System.err is at the time
            PrintStream original = System.err;
            PrintStream capture = new PrintStream(err, true, StandardCharsets.UTF_8);
            int code;
            System.setErr(capture);
            try {
                code = Main.run(new String[] {"run", "--simulate", "--listen", listen, "--data-dir", data.toString(),
                        "--jmx", "false"}, new PrintStream(out, true, StandardCharsets.UTF_8), capture);
            } finally {
                System.setErr(original);
            }
            String log = err.toString(StandardCharsets.UTF_8);
            assertThat(code).as(log).isEqualTo(1);
            assertThat(log).contains("cannot listen on " + listen
                    + ": address already in use; another pfmeter? set listen (--listen) to a free port");
            assertThat(log).doesNotContain("Exception").doesNotContain("\tat ");
            assertThat(data.resolve("pfmeter.mv.db")).doesNotExist();
            try (var files = Files.list(data)) {
                assertThat(files).as("nothing written in the data directory").isEmpty();
            }
        }
    }
}
