package org.pfmeter.exporter.cli;

import java.io.FilterWriter;
import java.io.IOException;
import java.io.Writer;

/** The command's standard output as a writer that a try-with-resources flushes but does not close. */
final class NonClosing extends FilterWriter {

    NonClosing(Writer out) {
        super(out);
    }

    @Override
    public void close() throws IOException {
        flush();
    }
}
