package org.pfmeter.accounting.billing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.pfmeter.pf.model.LabelKey;

/**
 * Which customer a label's traffic is billed to. Immutable.
 *
 * <h2>File format</h2>
 * One mapping per line, {@code customer = selector}, split at the first {@code =} (so a customer
 * name has no {@code =}; a label may). Blank lines and lines starting with {@code #} are ignored.
 * A customer may have any number of lines.
 * <pre>
 * # customer   = selector
 * ACME Corp    = web-acme                      # exact: a label of the main ruleset
 * ACME Corp    = customers/acme:mail           # exact: label "mail" in anchor customers/acme
 * ACME Corp    = glob:customers/acme:*         # glob: * any characters, ? one character
 * Globex       = regex:globex-(www|mail)       # regex (Java syntax), must match the whole name
 * </pre>
 * (A {@code #} after a selector is part of it; comments take a line of their own.) Selectors match
 * a label's qualified name: {@code label} in the main ruleset, {@code anchor/path:label} inside an
 * anchor, a ':' that is part of an anchor or label name written {@code \:} (as {@link LabelKey#toString()}
 * prints it and {@link LabelKey#parse} reads it). An exact selector names exactly one label: it is read
 * with {@link LabelKey#parse} when the mapping is loaded, and one with two unescaped ':' (which label
 * it means is not clear) is refused, naming its line. Globs and regexes match the printed name, so
 * {@code glob:office:*} is every label of anchor {@code office} and not the main-ruleset label
 * {@code office\:office-web}.
 *
 * <h2>Overlaps</h2>
 * <ul>
 *   <li>The same exact name or the same pattern given to two customers is refused when loading.</li>
 *   <li>An exact name wins over patterns: {@code Globex = web-acme} beside
 *       {@code ACME Corp = glob:web-*} bills web-acme to Globex (a documented way to carve out an
 *       exception).</li>
 *   <li>A label matched only by patterns of two or more customers is an error
 *       ({@link OverlappingMappingException}) naming the label, the customers and the lines, raised by
 *       {@link #customerOf} and by {@link #validate} (which the exporter runs at start-up against the
 *       labels in the database, and every report runs against the labels it covers).</li>
 *   <li>A label no selector matches is unassigned: it appears in the per-label part of a report and
 *       in its list of unassigned labels, never in a customer's total.</li>
 * </ul>
 */
public final class CustomerMapping {

    /** One line of the mapping. */
    public record Rule(String customer, Kind kind, String selector, String source) {
        public enum Kind { EXACT, GLOB, REGEX }

        @Override
        public String toString() {
            String s = switch (kind) {
                case EXACT -> selector;
                case GLOB -> "glob:" + selector;
                case REGEX -> "regex:" + selector;
            };
            return "'" + customer + " = " + s + "' (" + source + ")";
        }
    }

    /** A label that two customers' patterns both claim. */
    public static final class OverlappingMappingException extends IllegalArgumentException {
        private final LabelKey label;

        OverlappingMappingException(LabelKey label, List<Rule> rules) {
            super("customer mapping overlaps: label '" + label + "' is matched by " + describe(rules)
                    + "; make the patterns disjoint, or map the label by its exact name (an exact name wins over patterns)");
            this.label = label;
        }

        public LabelKey label() {
            return label;
        }

        private static String describe(List<Rule> rules) {
            List<String> s = new ArrayList<>();
            for (Rule r : rules) {
                s.add(r.toString());
            }
            return String.join(" and ", s);
        }
    }

    private static final CustomerMapping EMPTY = new CustomerMapping(List.of(), Map.of());

    private final List<Rule> patterns;
    private final List<Pattern> compiled = new ArrayList<>();
    private final Map<LabelKey, Rule> exact;

    private CustomerMapping(List<Rule> patterns, Map<LabelKey, Rule> exact) {
        this.patterns = List.copyOf(patterns);
        this.exact = Map.copyOf(exact);
        for (Rule r : this.patterns) {
            compiled.add(compile(r));
        }
    }

    /** No customers: every label is unassigned. */
    public static CustomerMapping empty() {
        return EMPTY;
    }

    /** Reads the file named by the config key {@code billing.customers}. */
    public static CustomerMapping load(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new IllegalArgumentException("billing.customers: cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses the file format above; {@code sourceName} names the file in messages. */
    public static CustomerMapping parse(String text, String sourceName) {
        List<Rule> rules = new ArrayList<>();
        String[] lines = text.split("\\R", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = sourceName + " line " + (i + 1);
            int eq = line.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException(where + ": expected 'customer = selector', got '" + line + "'");
            }
            rules.add(rule(line.substring(0, eq).strip(), line.substring(eq + 1).strip(), where));
        }
        return of(rules);
    }

    /** From config values: customer → selectors (each as in the file format). */
    public static CustomerMapping of(Map<String, List<String>> customers) {
        List<Rule> rules = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : customers.entrySet()) {
            for (String sel : e.getValue()) {
                rules.add(rule(e.getKey().strip(), sel.strip(), "billing.customers." + e.getKey()));
            }
        }
        return of(rules);
    }

    private static Rule rule(String customer, String selector, String where) {
        if (customer.isEmpty()) {
            throw new IllegalArgumentException(where + ": the customer name is empty");
        }
        if (selector.isEmpty()) {
            throw new IllegalArgumentException(where + ": the selector for customer '" + customer + "' is empty");
        }
        Rule r;
        if (selector.startsWith("glob:")) {
            r = new Rule(customer, Rule.Kind.GLOB, selector.substring(5), where);
        } else if (selector.startsWith("regex:")) {
            r = new Rule(customer, Rule.Kind.REGEX, selector.substring(6), where);
        } else {
            r = new Rule(customer, Rule.Kind.EXACT, selector, where);
        }
        if (r.kind() != Rule.Kind.EXACT && r.selector().isEmpty()) {
            throw new IllegalArgumentException(where + ": the " + r.kind().name().toLowerCase(java.util.Locale.ROOT)
                    + " pattern for customer '" + customer + "' is empty");
        }
        compile(r);    // refuse a bad regex at load time, naming the line
        if (r.kind() == Rule.Kind.EXACT) {
            exactKey(r);    // refuse an ambiguous exact name at load time, naming the line
        }
        return r;
    }

    private static LabelKey exactKey(Rule r) {
        try {
            return LabelKey.parse(r.selector());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(r.source() + ": customer '" + r.customer() + "': " + e.getMessage(), e);
        }
    }

    private static CustomerMapping of(List<Rule> rules) {
        Map<LabelKey, Rule> exact = new LinkedHashMap<>();
        Map<String, Rule> samePattern = new LinkedHashMap<>();
        List<Rule> patterns = new ArrayList<>();
        for (Rule r : rules) {
            String key = r.kind() + ":" + r.selector();
            Rule before = r.kind() == Rule.Kind.EXACT ? exact.get(exactKey(r)) : samePattern.get(key);
            if (before != null && !before.customer().equals(r.customer())) {
                throw new IllegalArgumentException("customer mapping overlaps: " + before + " and " + r
                        + " give the same selector to two customers");
            }
            if (before != null) {
                continue;
            }
            if (r.kind() == Rule.Kind.EXACT) {
                exact.put(exactKey(r), r);
            } else {
                samePattern.put(key, r);
                patterns.add(r);
            }
        }
        return new CustomerMapping(patterns, exact);
    }

    private static Pattern compile(Rule r) {
        try {
            return switch (r.kind()) {
                case EXACT -> Pattern.compile(Pattern.quote(r.selector()));
                case REGEX -> Pattern.compile(r.selector());
                case GLOB -> Pattern.compile(globToRegex(r.selector()));
            };
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(r.source() + ": bad pattern for customer '" + r.customer() + "': "
                    + e.getDescription() + " near index " + e.getIndex() + " of '" + r.selector() + "'");
        }
    }

    /** A glob ({@code *} any characters, {@code ?} one) as a regular expression, the rest quoted. */
    public static String globToRegex(String glob) {
        StringBuilder re = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char ch : glob.toCharArray()) {
            if (ch == '*' || ch == '?') {
                if (literal.length() > 0) {
                    re.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                re.append(ch == '*' ? ".*" : ".");
            } else {
                literal.append(ch);
            }
        }
        if (literal.length() > 0) {
            re.append(Pattern.quote(literal.toString()));
        }
        return re.toString();
    }

    /**
     * The customer {@code label} is billed to, or empty when no selector matches.
     *
     * @throws OverlappingMappingException when only patterns match and they name two customers
     */
    public Optional<String> customerOf(LabelKey label) {
        Rule e = exact.get(label);
        String name = label.toString();
        if (e != null) {
            return Optional.of(e.customer());
        }
        List<Rule> hits = new ArrayList<>();
        Set<String> customers = new LinkedHashSet<>();
        for (int i = 0; i < patterns.size(); i++) {
            if (compiled.get(i).matcher(name).matches()) {
                hits.add(patterns.get(i));
                customers.add(patterns.get(i).customer());
            }
        }
        if (customers.size() > 1) {
            throw new OverlappingMappingException(label, hits);
        }
        return customers.stream().findFirst();
    }

    /**
     * Checks {@code labels} against the mapping.
     *
     * @throws OverlappingMappingException for the first label two customers' patterns claim
     */
    public void validate(Collection<LabelKey> labels) {
        for (LabelKey k : labels) {
            customerOf(k);
        }
    }

    /**
     * Refuses an exact selector that names no known label while a label of the main ruleset has
     * exactly its text as its name: before ':' inside names was escaped, {@code office:office-web}
     * also named the main-ruleset label that is now written {@code office\:office-web}, and a mapping
     * written then would otherwise stop billing it without a word.
     *
     * @throws IllegalArgumentException naming the line and the selector to write instead
     */
    public void checkExactNames(Collection<LabelKey> known) {
        Set<LabelKey> labels = new java.util.HashSet<>(known);
        for (Map.Entry<LabelKey, Rule> e : exact.entrySet()) {
            LabelKey literal = new LabelKey("", e.getValue().selector());
            if (!e.getKey().anchor().isEmpty() && !labels.contains(e.getKey()) && labels.contains(literal)) {
                throw new IllegalArgumentException(e.getValue().source() + ": selector '" + e.getValue().selector()
                        + "' of customer '" + e.getValue().customer() + "' names label '" + e.getKey().label()
                        + "' in anchor '" + e.getKey().anchor() + "', which the database does not hold; for the label '"
                        + literal.label() + "' of the main ruleset write '" + literal
                        + "' (a ':' inside an anchor or label name is written '\\:')");
            }
        }
    }

    /** Every customer named, sorted. */
    public Set<String> customers() {
        Set<String> s = new TreeSet<>();
        exact.values().forEach(r -> s.add(r.customer()));
        patterns.forEach(r -> s.add(r.customer()));
        return s;
    }

    public boolean isEmpty() {
        return exact.isEmpty() && patterns.isEmpty();
    }
}
