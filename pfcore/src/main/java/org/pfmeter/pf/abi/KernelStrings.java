package org.pfmeter.pf.abi;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The one rule for turning the kernel's {@code char[]} names (labels, table, queue, anchor and
 * interface names) into Java strings and back. pf stores whatever bytes pf.conf held, so a name need
 * not be UTF-8; the rule keeps distinct kernel names distinct and always yields valid Unicode:
 *
 * <ul>
 *   <li>valid UTF-8 sequences become their characters (quotes, tabs, newlines, {@code =} … included:
 *       each exporter escapes them for its own format);</li>
 *   <li>a byte that is not part of a valid UTF-8 sequence (a stray continuation byte, a truncated or
 *       overlong sequence, an encoded surrogate, anything above U+10FFFF) becomes the four characters
 *       {@code \xNN} (two lowercase hex digits);</li>
 *   <li>a backslash becomes {@code \\}, so that the text {@code \xff} in a name cannot be mistaken
 *       for the byte 0xff.</li>
 * </ul>
 *
 * {@link #encode} is the exact inverse: names pfmeter sends back to the kernel (anchor paths, group
 * filters) and the simulator's names reach the kernel as the original bytes.
 */
public final class KernelStrings {

    private KernelStrings() {
    }

    /** Decodes {@code len} bytes (no NUL among them) by the rule above. */
    public static String decode(byte[] b, int off, int len) {
        int end = off + len;
        boolean plain = true;
        for (int i = off; i < end && plain; i++) {
            plain = b[i] > 0 && b[i] != '\\';
        }
        if (plain) {
            return new String(b, off, len, StandardCharsets.US_ASCII);
        }
        StringBuilder sb = new StringBuilder(len + 8);
        int i = off;
        while (i < end) {
            int c = b[i] & 0xff;
            if (c < 0x80) {
                sb.append(c == '\\' ? "\\\\" : String.valueOf((char) c));
                i++;
                continue;
            }
            int n;
            int cp;
            int min;
            if (c >= 0xc2 && c <= 0xdf) {
                n = 2;
                cp = c & 0x1f;
                min = 0x80;
            } else if (c >= 0xe0 && c <= 0xef) {
                n = 3;
                cp = c & 0x0f;
                min = 0x800;
            } else if (c >= 0xf0 && c <= 0xf4) {
                n = 4;
                cp = c & 0x07;
                min = 0x10000;
            } else {
                n = 0;
                cp = 0;
                min = 0;
            }
            boolean ok = n > 0 && i + n <= end;
            for (int k = 1; ok && k < n; k++) {
                int cc = b[i + k] & 0xff;
                ok = (cc & 0xc0) == 0x80;
                cp = (cp << 6) | (cc & 0x3f);
            }
            ok = ok && cp >= min && cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff);
            if (ok) {
                sb.appendCodePoint(cp);
                i += n;
            } else {
                appendByte(sb, c);
                i++;
            }
        }
        return sb.toString();
    }

    private static void appendByte(StringBuilder sb, int c) {
        sb.append("\\x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16));
    }

    /**
     * The kernel bytes a decoded name stands for: {@code \\} is a backslash, {@code \xNN} the byte
     * NN, everything else UTF-8. A backslash that starts neither (a hand-written name) stays itself.
     */
    public static byte[] encode(String s) {
        if (s.indexOf('\\') < 0) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        int i = 0;
        int n = s.length();
        while (i < n) {
            int j = s.indexOf('\\', i);
            int stop = j < 0 ? n : j;
            byte[] text = s.substring(i, stop).getBytes(StandardCharsets.UTF_8);
            out.write(text, 0, text.length);
            if (j < 0) {
                break;
            }
            if (j + 1 < n && s.charAt(j + 1) == '\\') {
                out.write('\\');
                i = j + 2;
            } else if (j + 3 < n && s.charAt(j + 1) == 'x' && hex(s.charAt(j + 2)) >= 0 && hex(s.charAt(j + 3)) >= 0) {
                out.write(hex(s.charAt(j + 2)) << 4 | hex(s.charAt(j + 3)));
                i = j + 4;
            } else {
                out.write('\\');
                i = j + 1;
            }
        }
        return out.toByteArray();
    }

    private static int hex(char c) {
        return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }
}
