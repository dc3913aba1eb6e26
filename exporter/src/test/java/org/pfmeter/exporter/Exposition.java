package org.pfmeter.exporter;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** A small parser of the Prometheus text format 0.0.4, for tests that check what /metrics serves. */
public final class Exposition {

    public record Sample(String name, Map<String, String> labels, double value) {
    }

    /** TYPE by family name, as declared. */
    public final Map<String, String> types = new LinkedHashMap<>();
    public final Map<String, String> help = new LinkedHashMap<>();
    public final List<Sample> samples = new ArrayList<>();

    public static Exposition parse(String text) {
        Exposition e = new Exposition();
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            if (line.startsWith("# TYPE ")) {
                String[] p = line.substring(7).split(" ");
                e.types.put(p[0], p[1]);
            } else if (line.startsWith("# HELP ")) {
                String rest = line.substring(7);
                int sp = rest.indexOf(' ');
                e.help.put(rest.substring(0, sp), rest.substring(sp + 1));
            } else if (!line.startsWith("#")) {
                e.samples.add(sample(line));
            }
        }
        return e;
    }

    private static Sample sample(String line) {
        int brace = line.indexOf('{');
        int space;
        String name;
        Map<String, String> labels = new LinkedHashMap<>();
        if (brace >= 0 && brace < line.indexOf(' ')) {
            name = line.substring(0, brace);
            int i = brace + 1;
            while (line.charAt(i) != '}') {
                int eq = line.indexOf('=', i);
                String key = line.substring(i, eq);
                StringBuilder v = new StringBuilder();
                int j = eq + 2;
                while (line.charAt(j) != '"') {
                    char c = line.charAt(j);
                    if (c == '\\') {
                        char n = line.charAt(++j);
                        v.append(n == 'n' ? '\n' : n);
                    } else {
                        v.append(c);
                    }
                    j++;
                }
                labels.put(key, v.toString());
                i = j + 1;
                if (line.charAt(i) == ',') {
                    i++;
                }
            }
            space = line.indexOf(' ', i);
        } else {
            space = line.indexOf(' ');
            name = line.substring(0, space);
        }
        String value = line.substring(space + 1).trim().split(" ")[0];
        double v = switch (value) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(value);
        };
        return new Sample(name, labels, v);
    }

    /** The family a sample belongs to: its name, or the name without _total, _sum, _count, _bucket, _created. */
    public String familyOf(String sampleName) {
        if (types.containsKey(sampleName)) {
            return sampleName;
        }
        for (String suffix : List.of("_total", "_sum", "_count", "_bucket", "_created")) {
            if (sampleName.endsWith(suffix)) {
                String base = sampleName.substring(0, sampleName.length() - suffix.length());
                if (types.containsKey(base)) {
                    return base;
                }
            }
        }
        return sampleName;
    }

    public List<Sample> samples(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).toList();
    }

    /** The one sample of {@code name} whose labels include {@code labels} (k1, v1, k2, v2, …). */
    public Optional<Double> value(String name, String... labels) {
        List<Sample> m = samples.stream().filter(s -> s.name().equals(name) && matches(s, labels)).toList();
        if (m.size() > 1) {
            throw new AssertionError("more than one sample of " + name + " matches " + List.of(labels) + ": " + m);
        }
        return m.stream().findFirst().map(Sample::value);
    }

    private static boolean matches(Sample s, String... labels) {
        for (int i = 0; i < labels.length; i += 2) {
            if (!labels[i + 1].equals(s.labels().get(labels[i]))) {
                return false;
            }
        }
        return true;
    }

    /** Label names per sample name, for reference checks. */
    public Map<String, List<String>> labelNames() {
        return samples.stream().collect(Collectors.toMap(Sample::name, s -> List.copyOf(s.labels().keySet()), (a, b) -> a,
                LinkedHashMap::new));
    }
}
