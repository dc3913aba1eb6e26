package org.pfmeter.exporter.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;

/** Where {@code billing} and {@code usage} write their CSV or JSON: a file, or the command's output. */
final class ReportOutput {

    private ReportOutput() {
    }

    /** True for csv or json; otherwise says so on the command's error stream. */
    static boolean validFormat(String command, String format, PrintWriter err) {
        if (format.equals("csv") || format.equals("json")) {
            return true;
        }
        err.println("pfmeter " + command + ": --format must be csv or json, not '" + format + "'");
        return false;
    }

    /** {@code out}, or standard output, which closing flushes but leaves open. */
    static Writer open(Path out, CommandSpec spec) throws IOException {
        return out == null ? new NonClosing(spec.commandLine().getOut()) : Files.newBufferedWriter(out, StandardCharsets.UTF_8);
    }
}
