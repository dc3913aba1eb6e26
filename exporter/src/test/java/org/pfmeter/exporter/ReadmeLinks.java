package org.pfmeter.exporter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checks the relative links of Markdown files as GitHub resolves them: {@code [text](path)} must
 * name a file or directory of the repository, and {@code [text](path#anchor)} or
 * {@code [text](#anchor)} a heading of that file whose GitHub slug is the anchor. Links inside code
 * (fenced blocks, inline code spans) are not links and are skipped, and so are absolute URLs.
 */
final class ReadmeLinks {

    private static final Pattern FENCE = Pattern.compile("^\\s*(```|~~~)");
    private static final Pattern HEADING = Pattern.compile("^ {0,3}(#{1,6})\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern CODE_SPAN = Pattern.compile("(`+)(.+?)\\1");
    private static final Pattern LINK = Pattern.compile("\\[([^\\]]*)\\]\\(\\s*<?([^)\\s>]*)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");

    private final Path root;
    private final Map<Path, Set<String>> slugs = new HashMap<>();
    private int checked;

    ReadmeLinks(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** Every README.md under the root, leaving out build output and version control. */
    static List<Path> readmes(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.getFileName().toString().equals("README.md"))
                    .filter(p -> {
                        for (Path part : root.relativize(p)) {
                            String n = part.toString();
                            if (n.equals("target") || n.equals(".git") || n.equals("node_modules")) {
                                return false;
                            }
                        }
                        return true;
                    })
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many links {@link #check} has looked at so far. */
    int checked() {
        return checked;
    }

    /** One problem per broken link, as {@code path:line: [text](target): what is wrong}. */
    List<String> check(Path file) {
        Path f = file.toAbsolutePath().normalize();
        List<String> problems = new ArrayList<>();
        List<String> lines = prose(f);
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = LINK.matcher(lines.get(i));
            while (m.find()) {
                String target = m.group(2);
                if (target.isEmpty() || SCHEME.matcher(target).find() || target.startsWith("//")) {
                    continue;
                }
                checked++;
                String problem = problem(f, target);
                if (problem != null) {
                    problems.add(root.relativize(f) + ":" + (i + 1) + ": [" + m.group(1) + "](" + target + "): " + problem);
                }
            }
        }
        return problems;
    }

    private String problem(Path from, String target) {
        int hash = target.indexOf('#');
        String path = URLDecoder.decode(hash < 0 ? target : target.substring(0, hash), StandardCharsets.UTF_8);
        String anchor = hash < 0 ? null : target.substring(hash + 1);
        Path to = path.isEmpty() ? from : from.getParent().resolve(path).normalize();
        if (!to.startsWith(root)) {
            return "points outside the repository";
        }
        if (!Files.exists(to)) {
            return root.relativize(to) + " does not exist";
        }
        if (anchor == null) {
            return null;
        }
        if (!Files.isRegularFile(to) || !to.getFileName().toString().endsWith(".md")) {
            return "an anchor needs a Markdown file, " + root.relativize(to) + " is not one";
        }
        Set<String> headings = slugs.computeIfAbsent(to, ReadmeLinks::headingSlugs);
        if (!headings.contains(URLDecoder.decode(anchor, StandardCharsets.UTF_8))) {
            return root.relativize(to) + " has no heading whose anchor is #" + anchor;
        }
        return null;
    }

    /** The anchors GitHub gives the file's headings, a repeated one with -1, -2, … appended. */
    static Set<String> headingSlugs(Path file) {
        Set<String> out = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        for (String line : proseKeepingCode(file)) {
            Matcher h = HEADING.matcher(line);
            if (h.matches()) {
                String slug = slug(h.group(2));
                int n = seen.merge(slug, 1, Integer::sum) - 1;
                out.add(n == 0 ? slug : slug + "-" + n);
            }
        }
        return out;
    }

    /**
     * GitHub's anchor for a heading: its rendered text lowercased, every character that is not a
     * letter, digit, mark, underscore, hyphen or space removed, and each space made a hyphen.
     */
    static String slug(String heading) {
        String text = heading.replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1") // a link shows its text
                .replaceAll("<[^>]+>", "") // inline HTML
                .replace("`", "").replace("*", "");
        return text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{M}\\p{N}\\p{Pc} -]", "").replace(' ', '-');
    }

    /** The file's lines with fenced code blocks blanked and inline code spans removed. */
    private static List<String> prose(Path file) {
        List<String> out = new ArrayList<>();
        for (String line : proseKeepingCode(file)) {
            out.add(CODE_SPAN.matcher(line).replaceAll(""));
        }
        return out;
    }

    /** The file's lines with fenced code blocks blanked (a "# comment" in a shell block is no heading). */
    private static List<String> proseKeepingCode(Path file) {
        List<String> out = new ArrayList<>();
        String fence = null;
        for (String line : Readmes.read(file).split("\n", -1)) {
            Matcher f = FENCE.matcher(line);
            if (fence == null && f.find()) {
                fence = f.group(1);
                out.add("");
            } else if (fence != null) {
                if (line.strip().startsWith(fence)) {
                    fence = null;
                }
                out.add("");
            } else {
                out.add(line);
            }
        }
        return out;
    }
}
