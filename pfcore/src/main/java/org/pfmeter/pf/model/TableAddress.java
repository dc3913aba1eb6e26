package org.pfmeter.pf.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * One entry of a pf table ({@code struct pfr_addr}): an IPv4 or IPv6 address or network, with its
 * prefix length ({@code pfra_net}) and whether it is negated ({@code pfra_not}, {@code !addr} in
 * pf.conf). Two entries are the same when all four are: {@code 10.0.0.0/8} and {@code !10.0.0.0/8}
 * are different entries with different counters.
 *
 * <p>An address is data, never a metric label: it goes to JMX, {@code pfmeter show} and the
 * authenticated HTTP endpoints only.
 */
public final class TableAddress implements Comparable<TableAddress> {

    private final AddressFamily af;
    private final byte[] address;
    private final int prefixLength;
    private final boolean negated;

    /**
     * @param address 4 bytes for {@link AddressFamily#INET}, 16 for {@link AddressFamily#INET6}, network order
     */
    public TableAddress(AddressFamily af, byte[] address, int prefixLength, boolean negated) {
        this.af = Objects.requireNonNull(af, "af");
        int bytes = af == AddressFamily.INET ? 4 : 16;
        if (address.length != bytes) {
            throw new IllegalArgumentException(af.kernelName() + " address of " + address.length + " bytes");
        }
        if (prefixLength < 0 || prefixLength > bytes * 8) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " for " + af.kernelName());
        }
        this.address = address.clone();
        this.prefixLength = prefixLength;
        this.negated = negated;
    }

    public AddressFamily af() {
        return af;
    }

    /** The address bytes in network order (a copy). */
    public byte[] address() {
        return address.clone();
    }

    public int prefixLength() {
        return prefixLength;
    }

    public boolean negated() {
        return negated;
    }

    /** True when the entry is one host (/32 or /128). */
    public boolean host() {
        return prefixLength == address.length * 8;
    }

    /** As pfctl prints it: {@code !} when negated, inet_ntop's text, {@code /N} unless a host. */
    public String text() {
        StringBuilder b = new StringBuilder();
        if (negated) {
            b.append('!');
        }
        b.append(af == AddressFamily.INET ? inet4() : inet6());
        if (!host()) {
            b.append('/').append(prefixLength);
        }
        return b.toString();
    }

    private String inet4() {
        return (address[0] & 0xff) + "." + (address[1] & 0xff) + "." + (address[2] & 0xff) + "." + (address[3] & 0xff);
    }

    /** RFC 5952, as OpenBSD's inet_ntop writes it: the longest run of two or more zero groups becomes "::". */
    private String inet6() {
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((address[2 * i] & 0xff) << 8) | (address[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
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
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        if (bestLen < 2) {
            bestStart = -1;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                b.append("::");
                i += bestLen - 1;
                continue;
            }
            if (b.length() > 0 && b.charAt(b.length() - 1) != ':') {
                b.append(':');
            }
            b.append(Integer.toHexString(g[i]));
        }
        return b.toString();
    }

    /** Family, then address bytes as unsigned, then prefix length, then plain before negated. */
    @Override
    public int compareTo(TableAddress o) {
        int c = af.compareTo(o.af);
        if (c == 0) {
            c = Arrays.compareUnsigned(address, o.address);
        }
        if (c == 0) {
            c = Integer.compare(prefixLength, o.prefixLength);
        }
        return c != 0 ? c : Boolean.compare(negated, o.negated);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TableAddress t && af == t.af && prefixLength == t.prefixLength && negated == t.negated
                && Arrays.equals(address, t.address);
    }

    @Override
    public int hashCode() {
        return Objects.hash(af, prefixLength, negated, Arrays.hashCode(address));
    }

    @Override
    public String toString() {
        return text();
    }
}
