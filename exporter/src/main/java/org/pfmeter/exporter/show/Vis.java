package org.pfmeter.exporter.show;

import java.nio.charset.StandardCharsets;

/**
 * Names from the kernel made safe for a terminal, in the style of vis(3) with {@code VIS_CSTYLE}
 * (what pfctl and OpenBSD's tools use for names they print): a name cannot start a line of its own,
 * move the cursor or send an escape sequence. {@code \n}, {@code \r}, {@code \t} and the other C
 * escapes ({@code \a \b \v \f}) are written as such, ESC as {@code \033}, every other C0 control,
 * DEL and C1 control, and every invisible formatting character (bidi overrides and isolates such as
 * U+202E, zero-width characters, U+2028/U+2029 line and paragraph separators) as the octal escapes
 * of its UTF-8 bytes ({@code \342\200\256}). Everything else, including UTF-8 beyond ASCII, is kept.
 * Names already write a backslash as {@code \\} and a byte that is not UTF-8 as {@code \xNN}
 * (pfcore's KernelStrings), so a backslash in the output always begins an escape.
 */
public final class Vis {

    private Vis() {
    }

    /** {@code s} with every character a terminal would act on escaped (see the class comment). */
    public static String vis(String s) {
        if (s == null) {
            return "";
        }
        int n = s.length();
        int i = 0;
        while (i < n && !escaped(s.codePointAt(i))) {
            i += Character.charCount(s.codePointAt(i));
        }
        if (i == n) {
            return s;
        }
        StringBuilder b = new StringBuilder(n + 16).append(s, 0, i);
        while (i < n) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (!escaped(cp)) {
                b.appendCodePoint(cp);
                continue;
            }
            switch (cp) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case 0x07 -> b.append("\\a");
                case '\b' -> b.append("\\b");
                case 0x0b -> b.append("\\v");
                case '\f' -> b.append("\\f");
                default -> {
                    for (byte x : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
                        int v = x & 0xff;
                        b.append('\\').append((char) ('0' + (v >> 6))).append((char) ('0' + ((v >> 3) & 7)))
                                .append((char) ('0' + (v & 7)));
                    }
                }
            }
        }
        return b.toString();
    }

    /** C0, DEL, C1, and the invisible formatting and separator characters (bidi controls among them). */
    static boolean escaped(int cp) {
        if (cp < 0x20 || cp >= 0x7f && cp <= 0x9f) {
            return true;
        }
        if (cp < 0x80) {
            return false;
        }
        int type = Character.getType(cp);
        return type == Character.FORMAT || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
                || type == Character.SURROGATE || type == Character.UNASSIGNED || type == Character.PRIVATE_USE;
    }
}
