package org.pfmeter.exporter.http;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * Who a client is for the per-client bounds: its IPv4 address, or the /64 of its IPv6 address (one
 * host usually owns a whole /64, and could otherwise take a fresh address for every connection).
 * An IPv4-mapped IPv6 address counts as the IPv4 address.
 */
final class ClientKey {

    private ClientKey() {
    }

    static String of(InetAddress a) {
        if (a instanceof Inet6Address) {
            byte[] b = a.getAddress();
            byte[] prefix = Arrays.copyOf(b, 16);
            Arrays.fill(prefix, 8, 16, (byte) 0);
            try {
                return InetAddress.getByAddress(prefix).getHostAddress() + "/64";
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e); // 16 bytes are always an address
            }
        }
        return a instanceof Inet4Address ? a.getHostAddress() : String.valueOf(a);
    }

    /** The key of a socket's peer; "unknown" when it is not an IP socket. */
    static String of(java.net.SocketAddress peer) {
        return peer instanceof java.net.InetSocketAddress i && i.getAddress() != null ? of(i.getAddress()) : "unknown";
    }
}
