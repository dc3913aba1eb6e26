package org.pfmeter.exporter;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metrics reference, parsed: family → type and labels. Its one copy is the block between
 * {@code <!-- metrics-reference:begin -->} and {@code <!-- metrics-reference:end -->} in
 * exporter/README.md.
 */
public final class MetricsReference {

    public record Entry(String family, String type, List<String> labels) {
    }

    public static final String MARKER = "metrics-reference";

    /** A family's row: {@code | `name` | type | `label`, `label` | meaning |}. */
    static final Pattern ROW = Pattern.compile("^\\| `([a-z_:]+)` \\| (counter|gauge|summary|histogram|info) \\|([^|]*)\\|");
    private static final Pattern LABEL = Pattern.compile("`([a-z_]+)`");

    private MetricsReference() {
    }

    public static Map<String, Entry> load() {
        Map<String, Entry> m = new LinkedHashMap<>();
        for (String line : Readmes.section(Readmes.EXPORTER, MARKER).split("\n")) {
            Matcher r = ROW.matcher(line);
            if (r.find()) {
                List<String> labels = new ArrayList<>();
                Matcher l = LABEL.matcher(r.group(3));
                while (l.find()) {
                    labels.add(l.group(1));
                }
                m.put(r.group(1), new Entry(r.group(1), r.group(2), labels));
            }
        }
        return m;
    }
}
