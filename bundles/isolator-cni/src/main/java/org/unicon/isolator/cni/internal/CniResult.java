package org.unicon.isolator.cni.internal;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the isolator reads from a CNI result: the container's addresses and the DNS settings.
 * Reads both result shapes: {@code ips}/{@code dns} (CNI 0.3.0 and later) and the legacy
 * {@code ip4}/{@code ip6} of 0.1.0 and 0.2.0, which Mesos's plugins still print.
 */
record CniResult(List<String> addresses, List<String> nameservers, String domain, List<String> search,
        List<String> options) {

    static CniResult of(JsonNode result) {
        List<String> addresses = new ArrayList<>();
        if (result.has("ips")) {
            for (JsonNode ip : result.get("ips")) {
                address(ip.path("address").asText("")).ifPresent(addresses::add);
            }
        } else {
            for (String legacy : List.of("ip4", "ip6")) {
                address(result.path(legacy).path("ip").asText("")).ifPresent(addresses::add);
            }
        }
        JsonNode dns = result.path("dns");
        return new CniResult(addresses, strings(dns.path("nameservers")), dns.path("domain").asText(""),
                strings(dns.path("search")), strings(dns.path("options")));
    }

    /** The first IPv4 address, else the first address, else none. */
    java.util.Optional<String> primaryAddress() {
        return addresses.stream().filter(a -> !a.contains(":")).findFirst().or(() -> addresses.stream().findFirst());
    }

    boolean hasDns() {
        return !nameservers.isEmpty();
    }

    /** A resolv.conf from the result's DNS settings. */
    String resolvConf() {
        StringBuilder text = new StringBuilder("# written by Unicon's network/cni from the CNI result\n");
        nameservers.forEach(n -> text.append("nameserver ").append(n).append('\n'));
        if (!search.isEmpty()) {
            text.append("search ").append(String.join(" ", search)).append('\n');
        } else if (!domain.isEmpty()) {
            text.append("domain ").append(domain).append('\n');
        }
        if (!options.isEmpty()) {
            text.append("options ").append(String.join(" ", options)).append('\n');
        }
        return text.toString();
    }

    /** The address of a CIDR such as {@code 10.88.0.2/16}. */
    private static java.util.Optional<String> address(String cidr) {
        if (cidr.isBlank()) {
            return java.util.Optional.empty();
        }
        int slash = cidr.indexOf('/');
        return java.util.Optional.of(slash < 0 ? cidr : cidr.substring(0, slash));
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        if (array.isArray()) {
            array.forEach(v -> values.add(v.asText()));
        }
        return values;
    }
}
