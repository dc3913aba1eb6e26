package org.pfmeter.exporter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Basic credentials against PBKDF2 hashes: an unknown user costs exactly what a wrong password costs. */
class CredentialsTest {

    @TempDir
    Path tmp;

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** The real PBKDF2, with a record of the iterations of every derivation. */
    final List<Integer> work = new ArrayList<>();

    Credentials load(String... lines) throws Exception {
        Path f = tmp.resolve("users");
        Files.writeString(f, String.join("\n", lines) + "\n");
        return Credentials.load(f, (password, salt, iterations) -> {
            work.add(iterations);
            return Credentials.derive(password, salt, iterations);
        });
    }

    @Test
    void theRightPasswordIsAcceptedAndEveryOtherAnswerLooksTheSame() throws Exception {
        Credentials c = load("# billing users", Credentials.line("alice", "correct horse".toCharArray()));
        assertThat(c.authenticate(basic("alice", "correct horse"))).contains("alice");
        assertThat(work).containsExactly(Credentials.ITERATIONS);

        work.clear();
        assertThat(c.authenticate(basic("alice", "wrong"))).isEmpty();
        List<Integer> wrongPassword = List.copyOf(work);
        work.clear();
        assertThat(c.authenticate(basic("mallory", "wrong"))).isEmpty();
        List<Integer> unknownUser = List.copyOf(work);
        assertThat(unknownUser).isEqualTo(wrongPassword).containsExactly(Credentials.ITERATIONS);

        // a decoy user must not let its (empty) hash through either
        work.clear();
        assertThat(c.authenticate(basic("mallory", ""))).isEmpty();
        assertThat(work).containsExactly(Credentials.ITERATIONS);
        for (String header : new String[] {null, "", "Bearer x", "Basic !!!", basic("alice", "correct horse").replace("Basic", "Digest"),
                "Basic " + Base64.getEncoder().encodeToString("no-colon".getBytes(StandardCharsets.UTF_8))}) {
            assertThat(c.authenticate(header)).as(String.valueOf(header)).isEmpty();
        }
    }

    @Test
    void anUnknownUserCostsAsMuchAsTheCostliestRealOne() throws Exception {
        // a line made with more iterations than today's default (a file from a later release)
        byte[] salt = new byte[16];
        byte[] hash = Credentials.derive("pw".toCharArray(), salt, 300_000);
        Credentials c = load(Credentials.line("alice", "x".toCharArray()),
                "bob:pbkdf2-sha256:300000:" + Base64.getEncoder().encodeToString(salt) + ":" + Base64.getEncoder().encodeToString(hash));
        assertThat(c.authenticate(basic("bob", "pw"))).contains("bob");
        work.clear();
        assertThat(c.authenticate(basic("nobody", "pw"))).isEmpty();
        assertThat(work).containsExactly(300_000);
    }

    @Test
    void badLinesAreNamedWithoutQuotingTheirHashes() throws Exception {
        String good = Credentials.line("alice", "x".toCharArray());
        String[] f = good.split(":");
        assertThatThrownBy(() -> load(good, "bob:pbkdf2-sha256:abc:" + f[3] + ":" + f[4]))
                .hasMessageContaining("line 2").hasMessageContaining("ITERATIONS must be a number").hasMessageNotContaining(f[4]);
        assertThatThrownBy(() -> load("bob:pbkdf2-sha256:210000:" + f[3] + ":" + f[4] + "%%"))
                .hasMessageContaining("line 1").hasMessageNotContaining(f[4]);
        assertThatThrownBy(() -> load("bob:pbkdf2-sha256:10:" + f[3] + ":" + f[4]))
                .hasMessageContaining("ITERATIONS must be 10000 to 10000000");
        assertThatThrownBy(() -> load(good, good.replace("alice", "alice")))
                .hasMessageContaining("line 2: user alice appears twice");
        assertThatThrownBy(() -> load("alice:secret"))
                .hasMessageContaining("line 1: expected user:pbkdf2-sha256").hasMessageNotContaining("secret");
    }
}
