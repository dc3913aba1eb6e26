package org.pfmeter.accounting.billing;

import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Locale;

/**
 * RFC 4180 CSV that a spreadsheet cannot be tricked into evaluating: a cell starting with
 * {@code = + - @}, a tab or a carriage return (a label named {@code =HYPERLINK(…)}) gets a leading
 * {@code '} so it is shown as text (OWASP, "CSV Injection"). A cell that already starts with
 * {@code '} gets one too, so the rule stays reversible: a program reading the file drops one leading
 * {@code '} from a text cell that has one and gets the exact name back (two labels never share a
 * cell). Cells with a comma, quote or line break are quoted, quotes doubled. Lines end with CRLF.
 */
public final class Csv {

    private Csv() {
    }

    /** A text cell, neutralised and quoted as needed. */
    public static String cell(String s) {
        if (s == null || s.isEmpty()) {
            return "";
        }
        char c = s.charAt(0);
        String v = c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r' || c == '\'' ? "'" + s : s;
        if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
            return '"' + v.replace("\"", "\"\"") + '"';
        }
        return v;
    }

    /** A number cell (never negative in reports): plain digits, no grouping. */
    public static String number(long v) {
        return Long.toString(v);
    }

    /** A rate with three decimals, '.' as the separator whatever the locale. */
    public static String number(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    static void row(Writer w, List<String> cells) throws IOException {
        w.write(String.join(",", cells));
        w.write("\r\n");
    }
}
