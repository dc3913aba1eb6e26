package org.pfmeter.exporter.config;

/**
 * A listen address. {@code host} is empty for every address; {@code port} 0 asks for an ephemeral
 * port (tests).
 */
public record HostPort(String host, int port) {

    public HostPort {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not in 0..65535");
        }
    }

    /** Parses {@code HOST:PORT}, {@code :PORT} (every address) and {@code [V6ADDR]:PORT}. */
    public static HostPort parse(String s) {
        String v = s.trim();
        int colon = v.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("'" + s + "' is not HOST:PORT (e.g. 127.0.0.1:10190 or :10190)");
        }
        String host = v.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new IllegalArgumentException("'" + s + "': write an IPv6 address in brackets, e.g. [::1]:10190");
        }
        int port;
        try {
            port = Integer.parseInt(v.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + s + "' has no port number after the last ':'");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " in '" + s + "' is not in 0..65535");
        }
        return new HostPort(host, port);
    }

    /** True for {@code :PORT}, {@code 0.0.0.0:PORT} and {@code [::]:PORT}. */
    public boolean anyAddress() {
        return host.isEmpty() || host.equals("0.0.0.0") || host.equals("::");
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
