package org.unicon.agent.http.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * The validated configuration of the API endpoint (PID {@value AgentHttpComponent.Config#PID}).
 * A bad value is rejected with a message naming the key and the value, before anything changes.
 */
record EndpointSettings(InetSocketAddress address, int maxBodyBytes) {

    /** Bodies up to this size are buffered in memory; beyond it a request is refused (413). */
    static final long MAX_BODY_LIMIT = Integer.MAX_VALUE - 16;

    static EndpointSettings parse(String address, long maxBodyBytes) {
        if (maxBodyBytes < 1 || maxBodyBytes > MAX_BODY_LIMIT) {
            throw new IllegalArgumentException("invalid max_body_bytes=" + maxBodyBytes + " in "
                    + AgentHttpComponent.Config.PID + ": expected 1.." + MAX_BODY_LIMIT);
        }
        return new EndpointSettings(parseAddress(address), (int) maxBodyBytes);
    }

    /** {@code host:port}, with an IPv6 host in brackets ({@code [::1]:5051}); port 0 picks a free one. */
    static InetSocketAddress parseAddress(String value) {
        String v = value == null ? "" : value.strip();
        int colon = v.lastIndexOf(':');
        if (colon <= 0 || colon == v.length() - 1) {
            throw badAddress(value, "expected host:port such as 127.0.0.1:5051");
        }
        String host = v.substring(0, colon);
        String port = v.substring(colon + 1);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw badAddress(value, "write an IPv6 host in brackets, such as [::1]:5051");
        }
        int number;
        try {
            number = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw badAddress(value, "port '" + port + "' is not a number");
        }
        if (number < 0 || number > 65535) {
            throw badAddress(value, "port " + number + " is not in 0..65535");
        }
        if (host.isEmpty()) {
            throw badAddress(value, "the host is empty (use 0.0.0.0 for every interface)");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), number);
        } catch (UnknownHostException e) {
            throw badAddress(value, "unknown host '" + host + "'");
        }
    }

    /** The address as a user writes it, for messages. */
    String describe() {
        String host = address.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    private static IllegalArgumentException badAddress(String value, String reason) {
        return new IllegalArgumentException("invalid address='" + value + "' in "
                + AgentHttpComponent.Config.PID + ": " + reason);
    }
}
