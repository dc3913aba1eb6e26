package org.pfmeter.pf.abi;

import org.pfmeter.pf.model.AddressFamily;

/** A {@code struct pf_addr} as inet_ntop(3) prints it: dotted quad, or IPv6 with the longest zero run as "::". */
public final class InetText {

    private InetText() {
    }

    /** The {@code struct pf_addr} at {@code off} of a decoded buffer, {@code af} as the kernel numbers it. */
    static String format(java.nio.ByteBuffer b, int off, int af) {
        byte[] addr = new byte[16];
        b.get(off, addr);
        return format(family(af), addr);
    }

    /** @param addr the 16 bytes of {@code struct pf_addr}, network order (IPv4 in the first 4) */
    public static String format(AddressFamily af, byte[] addr) {
        if (af == AddressFamily.INET) {
            return (addr[0] & 0xff) + "." + (addr[1] & 0xff) + "." + (addr[2] & 0xff) + "." + (addr[3] & 0xff);
        }
        int[] w = new int[8];
        for (int i = 0; i < 8; i++) {
            w[i] = (addr[2 * i] & 0xff) << 8 | (addr[2 * i + 1] & 0xff);
        }
        int bestAt = -1;
        int bestLen = 1;        // a single zero word is not compressed
        for (int i = 0; i < 8; ) {
            if (w[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && w[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestAt = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestAt) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(w[i]));
        }
        return sb.toString();
    }

    /** The address family as the model names it; anything but AF_INET6 is printed as IPv4, as pfctl does. */
    static AddressFamily family(int af) {
        return af == PfSrcNode.AF_INET6 ? AddressFamily.INET6 : AddressFamily.INET;
    }
}
