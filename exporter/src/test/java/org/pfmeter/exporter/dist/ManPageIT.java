package org.pfmeter.exporter.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.pfmeter.exporter.cli.Main;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * pfmeter(8) (src/dist/openbsd/man/pfmeter.8) passes {@code mandoc -Tlint} and documents every command
 * and option the command line has. Needs mandoc (Debian package {@code mandoc}; {@code bash .ci/test.sh}
 * installs it): without it the test fails, it is never skipped.
 */
class ManPageIT {

    static final Path PAGE = OpenBsdDistTest.DIST.resolve("man/pfmeter.8");

    /**
     * The manuals pfmeter(8) cites with .Xr: OpenBSD's own, absent on the Linux machines the build runs on,
     * so mandoc reports them as "referenced manual not found" (a STYLE message). Checked by hand against
     * OpenBSD's man pages; any other STYLE message, or an .Xr to a page not listed here, fails.
     */
    static final Set<String> OPENBSD_MANUALS = Set.of("pf 4", "pf.conf 5", "login.conf 5", "vis 3", "pfctl 8", "rc.d 8",
            "rcctl 8", "syslogd 8", "cron 8", "unveil 2", "pledge 2");

    static Path mandoc() {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                Path p = Path.of(dir, "mandoc");
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        return fail("mandoc is not on the PATH: the man page cannot be checked. Install Debian's mandoc package "
                + "(apt-get install mandoc; bash .ci/test.sh does it).");
    }

    record Lint(int exit, List<String> messages) {
    }

    static Lint lint(String level) throws Exception {
        Process p = new ProcessBuilder(mandoc().toString(), "-Tlint", "-W", level, PAGE.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Lint(p.exitValue(), out.isBlank() ? List.of() : Arrays.asList(out.strip().split("\n")));
    }

    @Test
    void mandocFindsNoWarningOrError() throws Exception {
        Lint lint = lint("warning");
        assertThat(lint.messages()).as("mandoc -Tlint -W warning " + PAGE).isEmpty();
        assertThat(lint.exit()).isZero();
    }

    @Test
    void mandocStyleMessagesAreOnlyTheOpenBsdManualsThisMachineLacks() throws Exception {
        Pattern notFound = Pattern.compile(".*: STYLE: referenced manual not found: Xr (\\S+ \\d)( \\(\\d+ times\\))?$");
        for (String message : lint("style").messages()) {
            Matcher m = notFound.matcher(message);
            assertThat(m.matches()).as("a STYLE message other than a missing OpenBSD manual: " + message).isTrue();
            assertThat(OPENBSD_MANUALS).as("cited manual " + m.group(1)).contains(m.group(1));
        }
        String page = Files.readString(PAGE);
        for (String manual : OPENBSD_MANUALS) {
            assertThat(page).as("the list names only manuals the page cites").contains(".Xr " + manual);
        }
    }

    @Test
    void itFollowsOpenBsdsLayout() throws Exception {
        String page = Files.readString(PAGE);
        assertThat(page).containsPattern("\n\\.Dd \\$Mdocdate: [A-Z][a-z]+ \\d{1,2} \\d{4} \\$\n\\.Dt PFMETER 8\n\\.Os\n");
        List<String> sections = new ArrayList<>();
        for (String line : page.split("\n")) {
            if (line.startsWith(".Sh ")) {
                sections.add(line.substring(4));
            }
        }
        assertThat(sections).containsExactly("NAME", "SYNOPSIS", "DESCRIPTION", "COMMANDS", "OPTIONS", "ENVIRONMENT",
                "FILES", "EXIT STATUS", "EXAMPLES", "SEE ALSO", "AUTHORS", "CAVEATS");
    }

    /** Every command of pfmeter's command line, and every option of each, is in the page. */
    @Test
    void itDocumentsEveryCommandAndOption() throws Exception {
        String page = Files.readString(PAGE);
        CommandLine cli = new CommandLine(new Main());
        assertThat(cli.getSubcommands()).isNotEmpty();
        for (OptionSpec o : cli.getCommandSpec().options()) {
            assertThat(documented(page, o)).as("pfmeter " + String.join("|", o.names())).isTrue();
        }
        cli.getSubcommands().forEach((name, sub) -> {
            assertThat(page).as("command " + name).contains("\n.It Cm " + name + " ").contains("\n.Cm " + name + "\n");
            for (OptionSpec o : sub.getCommandSpec().options()) {
                assertThat(documented(page, o)).as("pfmeter " + name + " " + String.join("|", o.names())).isTrue();
            }
        });
    }

    /** As mdoc writes an option: {@code Fl -name} for --name, {@code Fl x} for -x (also inside "Fl hV"). */
    private static boolean documented(String page, OptionSpec o) {
        for (String n : o.names()) {
            String fl = n.startsWith("--") ? "Fl -" + n.substring(2) : "Fl " + n.substring(1);
            if (Pattern.compile(Pattern.quote(fl) + "(?![\\w-])").matcher(page).find()) {
                return true;
            }
            if (!n.startsWith("--") && Pattern.compile("Fl [a-zA-Z]*" + Pattern.quote(n.substring(1)) + "[a-zA-Z]*\\b")
                    .matcher(page).find()) {
                return true;
            }
        }
        return false;
    }
}
