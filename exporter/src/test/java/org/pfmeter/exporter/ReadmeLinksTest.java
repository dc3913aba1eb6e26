package org.pfmeter.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every relative link of every README in the repository resolves, and the top-level README stays short. */
class ReadmeLinksTest {

    private static final int TOP_LEVEL_MAX_LINES = 200;

    @Test
    void everyRelativeLinkOfEveryReadmeResolves() {
        List<Path> readmes = ReadmeLinks.readmes(Readmes.ROOT);
        assertThat(readmes).as("README.md files found under %s", Readmes.ROOT)
                .contains(Readmes.ROOT.resolve("README.md"), Readmes.EXPORTER, Readmes.ROOT.resolve("pfcore/README.md"),
                        Readmes.ROOT.resolve("accounting/README.md"), Readmes.ROOT.resolve("grafana/README.md"))
                .noneMatch(p -> Readmes.ROOT.relativize(p).toString().contains("target"));
        ReadmeLinks links = new ReadmeLinks(Readmes.ROOT);
        List<String> problems = new ArrayList<>();
        readmes.forEach(r -> problems.addAll(links.check(r)));
        assertThat(problems).as("broken links (file:line: [text](target): why)").isEmpty();
        assertThat(links.checked()).as("relative links checked").isGreaterThan(50);
    }

    @Test
    void theTopLevelReadmeIsAtMost200Lines() throws IOException {
        long lines = Files.readAllLines(Readmes.ROOT.resolve("README.md")).size();
        assertThat(lines).as("README.md has %d lines; move detail into a module README and link to it", lines)
                .isLessThanOrEqualTo(TOP_LEVEL_MAX_LINES);
    }

    @Test
    void brokenFilesAndAnchorsAreReportedWithFileAndLine(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("mod"));
        Files.writeString(dir.resolve("README.md"), """
                # Top

                See [the module](mod/README.md#running-on-openbsd), [its options](mod/README.md#options-and---pf-fd)
                and [here](#top). Broken: [gone](mod/NOPE.md), [no such heading](mod/README.md#install).
                Absolute links are not checked: [web](https://example.net/x.md#y).
                `[in code](missing.md)` is not a link.

                ```sh
                # not a heading; [in a block](missing.md)
                ```
                [Out](../elsewhere.md) and [self](#not-here).
                """);
        Files.writeString(dir.resolve("mod/README.md"), """
                # Module
                ## Running on OpenBSD
                ### Options and --pf-fd
                ## Running on OpenBSD
                [Back](../README.md#top), [the second one](#running-on-openbsd-1)
                """);
        ReadmeLinks links = new ReadmeLinks(dir);
        List<String> problems = new ArrayList<>();
        ReadmeLinks.readmes(dir).forEach(r -> problems.addAll(links.check(r)));
        assertThat(problems).containsExactly(
                "README.md:4: [gone](mod/NOPE.md): mod/NOPE.md does not exist",
                "README.md:4: [no such heading](mod/README.md#install): mod/README.md has no heading whose anchor is #install",
                "README.md:11: [Out](../elsewhere.md): points outside the repository",
                "README.md:11: [self](#not-here): README.md has no heading whose anchor is #not-here");
        assertThat(links.checked()).isEqualTo(9);
    }

    @Test
    void anchorsAreGitHubSlugs() {
        assertThat(ReadmeLinks.slug("H2's file and disk writes")).isEqualTo("h2s-file-and-disk-writes");
        assertThat(ReadmeLinks.slug("Fully unprivileged, with --pf-fd")).isEqualTo("fully-unprivileged-with---pf-fd");
        assertThat(ReadmeLinks.slug("The trace format (version 1)")).isEqualTo("the-trace-format-version-1");
        assertThat(ReadmeLinks.slug("Migrations (sql/)")).isEqualTo("migrations-sql");
        assertThat(ReadmeLinks.slug("`pfmeter_build_info` and [JMX](x.md)")).isEqualTo("pfmeter_build_info-and-jmx");
    }
}
