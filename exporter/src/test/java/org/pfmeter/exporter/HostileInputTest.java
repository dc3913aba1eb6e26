package org.pfmeter.exporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pfmeter.accounting.ledger.Ledger;
import org.pfmeter.accounting.ledger.LedgerOptions;
import org.pfmeter.accounting.store.AccountingStore;
import org.pfmeter.accounting.store.StoreConfig;
import org.pfmeter.exporter.cli.Main;
import org.pfmeter.exporter.config.ConfigException;
import org.pfmeter.exporter.config.ConfigKey;
import org.pfmeter.exporter.config.ConfigLoader;
import org.pfmeter.exporter.hardening.DataDirectory;
import org.pfmeter.exporter.http.Credentials;
import org.pfmeter.exporter.show.PfctlText;
import org.pfmeter.exporter.show.StatesText;
import org.pfmeter.exporter.show.Vis;
import org.pfmeter.pf.PfReader;
import org.pfmeter.pf.model.PfSnapshot;
import org.pfmeter.pf.os.PrivilegeDrop.PrivilegeException;
import org.pfmeter.pf.sim.SimClock;
import org.pfmeter.pf.sim.SimConfig;
import org.pfmeter.pf.sim.SimulatedPf;
import org.pfmeter.pf.states.StateBreakdownReader;

/**
 * Issue 19 point 8: what a hostile pf.conf, a careless file mode or a hostile argument could do to
 * the exporter's command line and start-up, each kept fixed. (Billing's label names: accounting's
 * HostileLabelNamesTest; {@code record --redact} and queues: pfcore's TraceTest.)
 */
class HostileInputTest {

    private static final Instant T0 = Instant.parse("2026-11-02T08:00:00Z");

    @TempDir
    Path tmp;

    // ---- show: a name cannot forge a line or talk to the terminal ----

    /** Labels, a table, queues and an anchor named to forge lines and send escape sequences. */
    private static final Map<String, String> HOSTILE = hostile();

    private static Map<String, String> hostile() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("lan-web", "web\nFAKE-LABEL 0 0 0\r\u001b[2J");
        m.put("lan-dns", "dns\u202eevil\u0085c1\u0007\u2028x");
        m.put("admins", "adm\nFAKE-TABLE\u001b]0;t\u0007");
        m.put("voip", "vo\nFAKE-QUEUE\u001b[31m");
        m.put("bulk", "bu\rlk\u009b31m");
        m.put("office", "off\nFAKE-ANCHOR\u2066");
        return m;
    }

    private static void assertInert(String section, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\n' && c != '\t') {
                assertThat(Vis.vis(String.valueOf(c))).as("%s: character U+%04X at %d of%n%s", section, (int) c, i, text)
                        .isEqualTo(String.valueOf(c));
            }
        }
        assertThat(text.lines()).as(section).noneMatch(l -> l.startsWith("FAKE"));
    }

    @Test
    void showEscapesNamesInEverySection() {
        SimulatedPf sim = new SimulatedPf(SimConfig.defaults().withNames(HOSTILE), SimClock.manual(T0));
        PfReader reader = new PfReader(sim, sim.config().kernelRelease(), sim.clock());
        reader.poll();
        sim.advance(Duration.ofMinutes(5));
        PfSnapshot s = reader.poll();
        PfctlText text = new PfctlText(s, true, Optional.of(T0.minus(Duration.ofDays(1))), ZoneOffset.UTC);
        StringBuilder all = new StringBuilder();
        for (PfctlText.Section section : PfctlText.Section.values()) {
            String out = text.render(section);
            assertInert(section.cliName(), out);
            all.append(out);
        }
        // vis(3)'s C style: readable, and each escape says what was there
        assertThat(all).contains("web\\nFAKE-LABEL 0 0 0\\r\\033[2J", "dns\\342\\200\\256evil\\302\\205c1\\a\\342\\200\\250x",
                "adm\\nFAKE-TABLE\\033]0;t\\a", "vo\\nFAKE-QUEUE\\033[31m", "bu\\rlk\\302\\23331m", "off\\nFAKE-ANCHOR\\342\\201\\246");

        StateBreakdownReader.Outcome o = new StateBreakdownReader(sim, sim.config().kernelRelease(), sim.clock())
                .read(s.rules().value().orElseThrow(), 1_000_000, 1_000);
        String states = StatesText.render(((StateBreakdownReader.Read) o).breakdown(), 1_000);
        assertInert("states", states);
    }

    @Test
    void visEscapesWhatATerminalWouldActOnAndKeepsTheRest() {
        assertThat(Vis.vis("plain ascii: = + - @ \"q\" back\\\\slash \\xff")).isEqualTo("plain ascii: = + - @ \"q\" back\\\\slash \\xff");
        assertThat(Vis.vis("Grüße ✓ 日本")).isEqualTo("Grüße ✓ 日本");
        assertThat(Vis.vis("a\tb\u000bc\fd\be\u0000f\u007fg")).isEqualTo("a\\tb\\vc\\fd\\be\\000f\\177g");
        assertThat(Vis.vis("\u001b[0m\u009b0m\u200b\u202d\u2067\u2029")).isEqualTo(
                "\\033[0m\\302\\2330m\\342\\200\\213\\342\\200\\255\\342\\201\\247\\342\\200\\251");
    }

    // ---- billing: label names that collide (issue 19 point 7, through the command line) ----

    private static List<List<String>> labelRows(String csv) {
        List<List<String>> rows = new ArrayList<>();
        for (String line : csv.split("\r\n")) {
            List<String> cells = List.of(line.split(",", -1));
            if (cells.get(0).equals("label")) {
                rows.add(cells);
            }
        }
        return rows;
    }

    @Test
    void billingTellsAMainRulesetLabelFromTheAnchorLabelItsNameLooksLike() throws Exception {
        // the simulated main-ruleset label lan-web renamed office:office-web, beside office-web in anchor office
        SimulatedPf sim = new SimulatedPf(SimConfig.defaults().withNames(Map.of("lan-web", "office:office-web")), SimClock.manual(T0));
        PfReader reader = new PfReader(sim, sim.config().kernelRelease(), sim.clock());
        Path db = tmp.resolve("db");
        try (AccountingStore store = AccountingStore.open(StoreConfig.h2(db))) {
            for (int i = 0; i <= 6; i++) {
                PfSnapshot s = reader.poll();
                new Ledger(store, LedgerOptions.defaults(), Clock.fixed(s.takenAt(), ZoneOffset.UTC)).record("fw1", s);
                sim.advance(Duration.ofMinutes(5));
            }
        }
        Result all = run("billing", "--db", db.toString(), "--month", "2026-11");
        assertThat(all.code()).as(all.err()).isZero();
        List<String> names = labelRows(all.out()).stream().map(r -> r.get(1)).toList();
        assertThat(names).doesNotHaveDuplicates().contains("office:office-web", "office\\:office-web");

        Result anchor = run("billing", "--db", db.toString(), "--month", "2026-11", "--label", "office:office-web");
        Result main = run("billing", "--db", db.toString(), "--month", "2026-11", "--label", "office\\:office-web");
        assertThat(labelRows(anchor.out())).singleElement().satisfies(r -> assertThat(r.get(1)).isEqualTo("office:office-web"));
        assertThat(labelRows(main.out())).singleElement().satisfies(r -> assertThat(r.get(1)).isEqualTo("office\\:office-web"));
        assertThat(labelRows(anchor.out()).get(0).get(8)).as("bytes_in of two different labels")
                .isNotEqualTo(labelRows(main.out()).get(0).get(8));

        Result usage = run("usage", "--db", db.toString(), "--month", "2026-11", "--label", "office\\:office-web", "--format", "json");
        assertThat(usage.code()).as(usage.err()).isZero();
        assertThat(usage.out()).contains("\"labels\" : [ \"office\\\\:office-web\" ]".replace(" ", ""))
                .doesNotContain("\"office:office-web\"");

        Result ambiguous = run("billing", "--db", db.toString(), "--month", "2026-11", "--label", "office:office:web");
        assertThat(ambiguous.code()).isEqualTo(2);
        assertThat(ambiguous.err()).contains("more than one ':'", "\\:");
    }

    // ---- configuration: encoding and file modes ----

    private static Map<ConfigKey, String> dataDir(Path tmp) {
        return Map.of(ConfigKey.DATA_DIR, tmp.resolve("data").toString());
    }

    @Test
    void aConfigurationFileThatIsNotUtf8IsRefusedWithTheLine() throws Exception {
        Path conf = tmp.resolve("pfmeter.conf");
        byte[] head = "# pfmeter\nlisten = 127.0.0.1:0\nlog.level = info \u00e9t\u00e9".getBytes(StandardCharsets.ISO_8859_1);
        Files.write(conf, head);
        assertThatThrownBy(() -> ConfigLoader.load(Optional.of(conf), dataDir(tmp)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(conf + ":3:").hasMessageContaining("0xe9").hasMessageContaining("UTF-8");
    }

    @Test
    void aByteOrderMarkIsAcceptedOnPurpose() throws Exception {
        // Notepad writes one; kept, it would make the first key "unknown" although it reads right
        Path conf = tmp.resolve("pfmeter.conf");
        Files.write(conf, ("\ufeffpoll.interval = 7s\n").getBytes(StandardCharsets.UTF_8));
        assertThat(ConfigLoader.load(Optional.of(conf), dataDir(tmp)).pollInterval()).isEqualTo(Duration.ofSeconds(7));
    }

    private Path file(String name, String content, String mode) throws Exception {
        Path p = Files.writeString(tmp.resolve(name), content);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
        return p;
    }

    @Test
    void credentialsAndAccessFilesOthersMayWriteAreRefused() throws Exception {
        Path users = file("users", Credentials.line("alice", "long enough".toCharArray()) + "\n", "rw-rw-rw-");
        String billing = "listen = 127.0.0.1:0\nhttp.billing-credentials = " + users + "\n";
        assertThatThrownBy(() -> ConfigLoader.parse("pfmeter.conf", billing, dataDir(tmp)))
                .hasMessageContaining("http.billing-credentials").hasMessageContaining(users.toString())
                .hasMessageContaining("chmod go-w " + users);
        Files.setPosixFilePermissions(users, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(ConfigLoader.parse("pfmeter.conf", billing, dataDir(tmp)).accounting().credentials()).contains(users);

        Path password = file("jmxremote.password", "monitor s3cret\n", "rw-------");
        Path access = file("jmxremote.access", "monitor readwrite\n", "rw-r--rw-");
        String jmx = "jmx.remote.port = 0\njmx.remote.bind = 127.0.0.1\njmx.remote.password-file = " + password
                + "\njmx.remote.access-file = " + access + "\n";
        assertThatThrownBy(() -> ConfigLoader.parse("pfmeter.conf", jmx, dataDir(tmp)))
                .hasMessageContaining("jmx.remote.access-file").hasMessageContaining("chmod go-w " + access);
        Files.setPosixFilePermissions(access, PosixFilePermissions.fromString("rw-r--r--"));
        ConfigLoader.parse("pfmeter.conf", jmx, dataDir(tmp));
    }

    @Test
    void aDatabasePasswordFileOthersMayReadIsRefusedByTheDaemonAndTheCli() throws Exception {
        Path pw = file("db.password", "s3cret\n", "rw-r--r--");
        String jdbc = "accounting.jdbc-url = jdbc:postgresql://127.0.0.1:1/pfmeter\naccounting.jdbc-user = pfmeter\n"
                + "accounting.jdbc-password-file = " + pw + "\n";
        assertThatThrownBy(() -> ConfigLoader.parse("pfmeter.conf", jdbc, dataDir(tmp)))
                .hasMessageContaining("accounting.jdbc-password-file").hasMessageContaining("chmod 600 " + pw);

        Result r = run("billing", "--month", "2026-10", "--jdbc-url", "jdbc:postgresql://127.0.0.1:1/pfmeter",
                "--jdbc-user", "pfmeter", "--jdbc-password-file", pw.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains("--jdbc-password-file").contains("chmod 600 " + pw);

        Files.setPosixFilePermissions(pw, PosixFilePermissions.fromString("rw-------"));
        assertThat(ConfigLoader.parse("pfmeter.conf", jdbc, dataDir(tmp)).accounting().store().password()).isEqualTo("s3cret");
    }

    // ---- passwd ----

    private record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void passwdRefusesControlCharactersInUserNames() {
        List<String> bad = new ArrayList<>(List.of("alice\nbob:pbkdf2-sha256:1:AAAA:BBBB", "al\rice", "al\u001b[2Jice", "al\u0085ice",
                "al\u202eice", "tab\tuser", "nul\u0000"));
        for (String user : bad) {
            assertThatThrownBy(() -> Credentials.line(user, "long enough".toCharArray()))
                    .as(Vis.vis(user)).hasMessageContaining("control characters");
            Result r = run("passwd", user);
            assertThat(r.code()).as(Vis.vis(user)).isEqualTo(2);
            assertThat(r.err()).contains("control characters");
            assertThat(r.out()).isEmpty();
        }
        assertThat(Credentials.line("Grüße-user", "long enough".toCharArray())).startsWith("Grüße-user:pbkdf2-sha256:");
    }

    // ---- the data directory ----

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void theDataDirectoryIsCreatedOwnerOnly() throws Exception {
        Path daemonDir = tmp.resolve("daemon").resolve("data");
        try (TestDaemon t = TestDaemon.start(daemonDir, "")) {
            assertThat(mode(daemonDir)).isEqualTo("rwx------");
        }
        Path storeDir = tmp.resolve("store").resolve("data");
        try (AccountingStore s = AccountingStore.open(StoreConfig.h2(storeDir))) {
            assertThat(mode(storeDir)).isEqualTo("rwx------");
        }
        Path made = tmp.resolve("made");
        DataDirectory.create(made);
        assertThat(mode(made)).isEqualTo("rwx------");
    }

    @Test
    void anExistingDataDirectoryEveryoneMayWriteIsRefusedAndOneEveryoneMayReadWarned() throws Exception {
        Path open = Files.createDirectory(tmp.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThatThrownBy(() -> DataDirectory.prepare(open)).isInstanceOf(PrivilegeException.class)
                .hasMessageContaining(open.toString()).hasMessageContaining("chmod 700 " + open);
        assertThatThrownBy(() -> TestDaemon.start(open, "")).hasMessageContaining("chmod 700 " + open);

        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThat(DataDirectory.prepare(open)).hasValueSatisfying(w -> assertThat(w).contains("every user", "chmod 700 " + open));
        // the directory's own group (INSTALL: _pfmeter:_pfmeter 750) is fine
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-x---"));
        assertThat(DataDirectory.prepare(open)).isEmpty();
    }
}
