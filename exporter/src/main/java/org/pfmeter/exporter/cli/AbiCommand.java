package org.pfmeter.exporter.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.pfmeter.pf.abi.AbiRelease;
import org.pfmeter.pf.abi.CStruct;
import org.pfmeter.pf.abi.PfAbi;
import org.pfmeter.pf.abi.PfIoctl;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code pfmeter abi}: every struct pfmeter uses with its size and each member's offset, and every
 * request number, as JSON, to compare with a kernel's headers.
 */
@Command(name = "abi", mixinStandardHelpOptions = true,
        description = {"Prints a release's pf ABI as JSON: {\"release\", \"pfvar\", \"hfsc\", \"structs\": {name: {size, fields: {member: offset}}}, \"ioctls\": {name: number}}.",
                "Without --release: the running kernel's release on OpenBSD, otherwise a JSON array of every supported release."})
final class AbiCommand implements Callable<Integer> {

    @Option(names = "--release", paramLabel = "R", description = "7.8, 7.9 or 8.0.")
    String release;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<AbiRelease> releases;
        boolean array;
        try {
            if (release != null) {
                releases = List.of(AbiRelease.parse(release));
                array = false;
            } else if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("openbsd")) {
                releases = List.of(AbiRelease.forKernelRelease(System.getProperty("os.version")));
                array = false;
            } else {
                releases = List.of(AbiRelease.values());
                array = true;
            }
        } catch (AbiRelease.UnsupportedReleaseException e) {
            err.println("pfmeter: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        out.println(json(releases, array));
        out.flush();
        return ExitCodes.OK;
    }

    static String json(List<AbiRelease> releases, boolean array) throws IOException {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
            g.useDefaultPrettyPrinter();
            if (array) {
                g.writeStartArray();
            }
            for (AbiRelease r : releases) {
                write(g, r);
            }
            if (array) {
                g.writeEndArray();
            }
        }
        return w.toString();
    }

    private static void write(JsonGenerator g, AbiRelease r) throws IOException {
        PfAbi abi = r.abi();
        g.writeStartObject();
        g.writeStringField("release", r.version());
        g.writeStringField("pfvar", r.pfvarRevision());
        g.writeStringField("hfsc", r.hfscRevision());
        g.writeObjectFieldStart("structs");
        for (Map.Entry<String, CStruct> e : abi.structs().entrySet()) {
            g.writeObjectFieldStart(e.getKey());
            g.writeNumberField("size", e.getValue().size());
            g.writeObjectFieldStart("fields");
            for (CStruct.Field f : e.getValue().fields().values()) {
                g.writeNumberField(f.name(), f.offset());
            }
            g.writeEndObject();
            g.writeEndObject();
        }
        g.writeEndObject();
        g.writeObjectFieldStart("ioctls");
        for (Map.Entry<PfIoctl, Long> e : abi.requests().entrySet()) {
            // request numbers are u_long: print unsigned
            g.writeFieldName(e.getKey().name());
            g.writeNumber(new java.math.BigInteger(Long.toUnsignedString(e.getValue())));
        }
        g.writeEndObject();
        g.writeEndObject();
    }
}
