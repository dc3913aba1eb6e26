package org.pfmeter.pf.abi;

import java.nio.ByteBuffer;

/** A struct pf_addr as inet_ntop(3) prints it: dotted quad, or RFC 5952 IPv6 with the longest zero run as "::". */
final class InetText {

    private InetText() {
    }

    static String format(ByteBuffer b, int off, int af) {
        if (af == PfSrcNode.AF_INET) {
            return (b.get(off) & 0xff) + "." + (b.get(off + 1) & 0xff) + "." + (b.get(off + 2) & 0xff) + "." + (b.get(off + 3) & 0xff);
        }
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((b.get(off + 2 * i) & 0xff) << 8) | (b.get(off + 2 * i + 1) & 0xff);
        }
        int bestBase = -1;
        int bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestBase = i;
                bestLen = j - i;
            }
            i = j;
        }
        if (bestLen < 2) {
            bestBase = -1;                       // inet_ntop6 leaves a single zero group as "0"
        }
        StringBuilder s = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestBase) {
                s.append("::");
                i += bestLen - 1;
                continue;
            }
            if (s.length() > 0 && s.charAt(s.length() - 1) != ':') {
                s.append(':');
            }
            s.append(Integer.toHexString(g[i]));
        }
        return s.toString();
    }

    /** The address family as the model names it; anything but AF_INET6 is printed as IPv4, as pfctl does. */
    static org.pfmeter.pf.model.AddressFamily family(int af) {
        return af == PfSrcNode.AF_INET6 ? org.pfmeter.pf.model.AddressFamily.INET6 : org.pfmeter.pf.model.AddressFamily.INET;
    }
}
