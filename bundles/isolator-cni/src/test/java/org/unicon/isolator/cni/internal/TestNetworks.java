package org.unicon.isolator.cni.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

import org.unicon.model.ContainerConfig;
import org.unicon.model.ContainerInfo;
import org.unicon.model.NetworkInfo;

/**
 * The CNI networks the tests use, written to a configuration directory: {@code testnet} (bridge
 * with host-local IPAM, then portmap with snat so that the stand-in host's loopback reaches
 * mapped ports), {@code plainnet} (a single bridge configuration, CNI 0.4.0, no portmap),
 * {@code badnet} (its IPAM range is invalid: the real bridge plugin fails ADD) and
 * {@code missingnet} (a plugin that is not installed). Their IPAM leases live in {@link #ipam()}.
 */
final class TestNetworks {
    static final String PORTS = "[31000-31009]";

    private final Path configs;
    private final Path ipam;

    private TestNetworks(Path configs, Path ipam) {
        this.configs = configs;
        this.ipam = ipam;
    }

    static TestNetworks write(Path dir) throws IOException {
        Path configs = Files.createDirectories(dir.resolve("net.d"));
        Path ipam = Files.createDirectories(dir.resolve("ipam"));
        String tag = UUID.randomUUID().toString().substring(0, 6);
        Files.writeString(configs.resolve("10-testnet.conflist"), """
                {"cniVersion": "1.0.0", "name": "testnet", "plugins": [
                  {"type": "bridge", "bridge": "ucbt%s", "isGateway": true, "ipMasq": false, "hairpinMode": true,
                   "ipam": {"type": "host-local", "dataDir": "%s", "ranges": [[{"subnet": "10.199.7.0/24"}]],
                            "routes": [{"dst": "0.0.0.0/0"}]}},
                  {"type": "portmap", "capabilities": {"portMappings": true}, "snat": true}]}
                """.formatted(tag, ipam));
        Files.writeString(configs.resolve("20-plainnet.conf"), """
                {"cniVersion": "0.4.0", "name": "plainnet", "type": "bridge", "bridge": "ucbp%s", "isGateway": true,
                 "ipam": {"type": "host-local", "dataDir": "%s", "ranges": [[{"subnet": "10.199.8.0/24"}]]}}
                """.formatted(tag, ipam));
        Files.writeString(configs.resolve("30-badnet.conflist"), """
                {"cniVersion": "1.0.0", "name": "badnet", "plugins": [
                  {"type": "bridge", "bridge": "ucbb%s",
                   "ipam": {"type": "host-local", "dataDir": "%s",
                            "ranges": [[{"subnet": "10.199.9.0/24", "rangeStart": "10.199.10.5"}]]}}]}
                """.formatted(tag, ipam));
        Files.writeString(configs.resolve("40-missingnet.conf"), """
                {"cniVersion": "1.0.0", "name": "missingnet", "type": "no-such-plugin"}
                """);
        return new TestNetworks(configs, ipam);
    }

    Path configs() {
        return configs;
    }

    Path ipam() {
        return ipam;
    }

    CniIsolator.Settings settings(Path plugins) {
        return new CniIsolator.Settings(new NetworkConfigs(Optional.of(configs)), new CniPlugins(plugins.toString()),
                HostPorts.parse(PORTS));
    }

    /**
     * The IPAM leases of a network: host-local keeps one file per address, named by the address,
     * beside its {@code lock} and {@code last_reserved_ip.*} files.
     */
    List<String> leases(String network) throws IOException {
        Path dir = ipam.resolve(network);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> !n.equals("lock") && !n.startsWith("last_reserved_ip")).sorted().toList();
        }
    }

    /** A container's configuration with its sandbox, and a rootfs when {@code rootfs} is given. */
    static ContainerConfig config(Path sandbox, Path rootfs, NetworkInfo... networks) {
        ContainerConfig.Builder config = ContainerConfig.newBuilder().setDirectory(sandbox.toString())
                .setContainerInfo(ContainerInfo.newBuilder().setType(ContainerInfo.Type.MESOS)
                        .addAllNetworkInfos(List.of(networks)));
        if (rootfs != null) {
            config.setRootfs(rootfs.toString()).setSandboxDirectory("/mnt/mesos/sandbox");
        }
        return config.build();
    }

    static NetworkInfo network(String name, int... hostAndContainerPorts) {
        NetworkInfo.Builder info = NetworkInfo.newBuilder().setName(name);
        for (int i = 0; i + 1 < hostAndContainerPorts.length; i += 2) {
            info.addPortMappings(NetworkInfo.PortMapping.newBuilder().setHostPort(hostAndContainerPorts[i])
                    .setContainerPort(hostAndContainerPorts[i + 1]).setProtocol("tcp"));
        }
        return info.build();
    }
}
