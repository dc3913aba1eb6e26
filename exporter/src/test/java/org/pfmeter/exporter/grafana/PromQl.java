package org.pfmeter.exporter.grafana;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Just enough PromQL for the tests: the metric names an expression reads, and Grafana's variables. */
final class PromQl {

    private PromQl() {
    }

    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
    private static final Pattern RANGES = Pattern.compile("\\[[^]]*]");
    private static final Pattern GROUPING = Pattern.compile(
            "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern VARIABLE = Pattern.compile("\\$(?:\\{(\\w+)(?::\\w+)?}|(\\w+))");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without",
            "on", "ignoring", "group_left", "group_right", "inf", "nan", "atan2");

    /** The metric names {@code expr} selects (not functions, aggregations, label names or keywords). */
    static Set<String> metricNames(String expr) {
        String s = STRING.matcher(expr).replaceAll("\"\"");
        s = MATCHERS.matcher(s).replaceAll(" ");
        s = RANGES.matcher(s).replaceAll(" ");
        s = GROUPING.matcher(s).replaceAll(" ");
        s = VARIABLE.matcher(s).replaceAll(" ");
        Set<String> out = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(s);
        while (m.find()) {
            String id = m.group();
            if (KEYWORDS.contains(id.toLowerCase(java.util.Locale.ROOT))) {
                continue;
            }
            if (m.start() > 0 && (Character.isDigit(s.charAt(m.start() - 1)) || s.charAt(m.start() - 1) == '.')) {
                continue; // the exponent or unit of a number: 1e3, 5m
            }
            int next = m.end();
            while (next < s.length() && Character.isWhitespace(s.charAt(next))) {
                next++;
            }
            if (next < s.length() && s.charAt(next) == '(') {
                continue; // a function or an aggregation
            }
            out.add(id);
        }
        return out;
    }

    /** The Grafana variables ({@code $name}, {@code ${name}}, {@code ${name:format}}) an expression uses. */
    static Set<String> variables(String expr) {
        Set<String> out = new TreeSet<>();
        Matcher m = VARIABLE.matcher(expr);
        while (m.find()) {
            out.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
        return out;
    }

    /**
     * Replaces every Grafana variable by its value; a variable without a value is an error, so no
     * query reaches Prometheus with a {@code $} left in it.
     */
    static String substitute(String expr, Map<String, String> values) {
        Matcher m = VARIABLE.matcher(expr);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2);
            String v = values.get(name);
            if (v == null) {
                throw new IllegalArgumentException("no value for $" + name + " in " + expr);
            }
            m.appendReplacement(b, Matcher.quoteReplacement(v));
        }
        m.appendTail(b);
        return b.toString();
    }

    /** A single-value variable's value as Grafana's Prometheus datasource inserts it: backslashes doubled. */
    static String regularEscape(String value) {
        return value.replace("\\", "\\\\").replace("'", "\\\\'");
    }

    /**
     * A multi-value variable's value as Grafana's Prometheus datasource inserts it: regex metacharacters
     * escaped, with the backslash doubled for the PromQL string it lands in.
     */
    static String regexEscape(String value) {
        return value.replace("\\", "\\\\\\\\").replaceAll("[$^*{}\\[\\]'+?.()|]", "\\\\\\\\$0");
    }
}
