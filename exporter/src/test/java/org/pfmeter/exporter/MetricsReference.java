package org.pfmeter.exporter;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The metrics reference (docs-metrics.md on the classpath), parsed: family → type and labels. */
public final class MetricsReference {

    public record Entry(String family, String type, List<String> labels) {
    }

    public static final String RESOURCE = "/docs-metrics.md";

    private static final Pattern ROW = Pattern.compile("^\\| `([a-z_:]+)` \\| (counter|gauge|summary|histogram|info) \\|([^|]*)\\|");
    private static final Pattern LABEL = Pattern.compile("`([a-z_]+)`");

    public static Map<String, Entry> load() throws IOException {
        try (InputStream in = MetricsReference.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException(RESOURCE + " is not on the classpath");
            }
            Map<String, Entry> m = new LinkedHashMap<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
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
}
