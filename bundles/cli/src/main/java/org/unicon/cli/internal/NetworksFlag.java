package org.unicon.cli.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import org.unicon.model.NetworkInfo;

/**
 * Parses {@code --networks} as {@code mesos-execute} does (CNI network names separated by commas)
 * and {@code --port_mappings}, a JSON array of Mesos {@code NetworkInfo.PortMapping}s (proto field
 * names, inline or as a path to a file holding it) that go to the first network, e.g.
 * {@code [{"host_port":0,"container_port":80}]}: host port 0 means any free port of the agent's
 * range.
 */
final class NetworksFlag {
    private NetworksFlag() {}

    static List<NetworkInfo> parse(String networks, String portMappings) {
        Set<String> names = new LinkedHashSet<>();
        if (networks != null) {
            for (String name : networks.split(",")) {
                String trimmed = name.strip();
                if (trimmed.isEmpty()) {
                    throw CliException.usage("--networks has an empty name; give CNI network names separated by"
                            + " commas, e.g. --networks=web,backend");
                }
                if (!names.add(trimmed)) {
                    throw CliException.usage("--networks names '" + trimmed + "' twice");
                }
            }
        }
        if (portMappings != null && names.isEmpty()) {
            throw CliException.usage("--port_mappings needs --networks: ports are mapped to a container on a CNI"
                    + " network (the first one named)");
        }
        List<NetworkInfo> infos = new ArrayList<>();
        for (String name : names) {
            NetworkInfo.Builder info = NetworkInfo.newBuilder().setName(name);
            if (infos.isEmpty() && portMappings != null) {
                info.addAllPortMappings(portMappings(portMappings));
            }
            infos.add(info.build());
        }
        return infos;
    }

    private static List<NetworkInfo.PortMapping> portMappings(String text) {
        String json = text.strip();
        String source = "--port_mappings";
        if (json.startsWith("file://") || json.startsWith("/")) {
            Path file = Path.of(json.startsWith("file://") ? json.substring("file://".length()) : json);
            source = "--port_mappings file " + file;
            try {
                json = Files.readString(file);
            } catch (IOException e) {
                throw CliException.usage("cannot read the --port_mappings file " + file + ": " + e.getMessage());
            }
        }
        if (!json.startsWith("[")) {
            throw CliException.usage(source + " must be a JSON array of port mappings, e.g. "
                    + "[{\"host_port\":0,\"container_port\":80,\"protocol\":\"tcp\"}]");
        }
        NetworkInfo.Builder holder = NetworkInfo.newBuilder();
        try {
            JsonFormat.parser().merge("{\"port_mappings\":" + json + "}", holder);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            throw CliException.usage(source + " is not a valid list of port mappings (host_port, container_port,"
                    + " protocol): " + e.getMessage());
        }
        for (NetworkInfo.PortMapping m : holder.getPortMappingsList()) {
            if (m.getContainerPort() == 0) {
                throw CliException.usage(source + ": every port mapping needs a container_port");
            }
        }
        return holder.getPortMappingsList();
    }

    /** How {@code ps} shows a container's addresses: every network's IPs, comma separated. */
    static String addresses(List<NetworkInfo> networks) {
        List<String> ips = new ArrayList<>();
        networks.forEach(n -> n.getIpAddressesList().forEach(ip -> ips.add(ip.getIpAddress())));
        return String.join(",", ips);
    }

    /** How {@code ps} shows port mappings: {@code HOST->CONTAINER/PROTOCOL}, comma separated. */
    static String ports(List<NetworkInfo> networks) {
        List<String> ports = new ArrayList<>();
        for (NetworkInfo n : networks) {
            for (NetworkInfo.PortMapping m : n.getPortMappingsList()) {
                ports.add(m.getHostPort() + "->" + m.getContainerPort() + "/"
                        + (m.getProtocol().isEmpty() ? "tcp" : m.getProtocol()));
            }
        }
        return String.join(",", ports);
    }
}
