package org.unicon.isolator.cni.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import org.unicon.isolator.ContainerContext;
import org.unicon.isolator.cni.internal.ContainerNetworks.Attachment;
import org.unicon.isolator.cni.internal.ContainerNetworks.PortMapping;
import org.unicon.model.ContainerConfig;
import org.unicon.model.ContainerLaunchInfo;
import org.unicon.model.ContainerMountInfo;
import org.unicon.model.Label;
import org.unicon.model.NetworkInfo;

/**
 * What {@code prepare} decides for a container that names networks, checked before anything is
 * created: each named network is configured and its plugins are installed, port mappings are
 * well formed and go to a network that can map ports, host ports are free (0 gets one from the
 * ranges), and the launch gets a network namespace and, with an image, the /etc files.
 */
record NetworkPlan(ContainerNetworks networks, Map<String, NetworkInfo> requested, ContainerLaunchInfo launchInfo) {

    static final int CLONE_NEWNET = 0x40000000;
    static final int CLONE_NEWUTS = 0x04000000;
    private static final int MS_RDONLY = 1;
    private static final int MS_NOSUID = 2;
    private static final int MS_NODEV = 4;
    private static final int MS_NOEXEC = 8;
    private static final int MS_BIND = 4096;
    /** The IDs the CNI specification accepts for CNI_CONTAINERID. */
    private static final Pattern CNI_ID = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.\\-]*");
    /** An RFC 1123 host name the kernel takes (at most 63 characters here: one label). */
    private static final Pattern HOSTNAME = Pattern.compile("[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?");
    private static final Pattern CNI_ARG = Pattern.compile("[^;=\\s]+");
    private static final Set<String> PROTOCOLS = Set.of("tcp", "udp", "sctp");

    /** The plan, or null when the container names no network (it keeps the host's). */
    static NetworkPlan of(ContainerContext container, CniIsolator.Settings settings, Path root, HostPorts ports)
            throws IOException {
        String id = container.containerId().getValue();
        ContainerConfig config = container.config();
        List<NetworkInfo> infos = config.getContainerInfo().getNetworkInfosList();
        List<Integer> named = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < infos.size(); i++) {
            NetworkInfo info = infos.get(i);
            if (info.getName().isEmpty()) {
                if (info.getPortMappingsCount() > 0) {
                    throw new IllegalArgumentException("network_infos[" + i + "] has port mappings but no name; port"
                            + " mappings need a CNI network (name one)");
                }
                continue; // as in Mesos: a NetworkInfo without a name is the host's network
            }
            if (!seen.add(info.getName())) {
                throw new IllegalArgumentException("container '" + id + "' joins network '" + info.getName()
                        + "' twice");
            }
            named.add(i);
        }
        if (named.isEmpty()) {
            return null;
        }
        if (settings.problem().isPresent()) {
            throw new IllegalArgumentException("network/cni has no usable configuration: " + settings.problem().get());
        }
        if (id.isEmpty() || id.contains("/") || id.equals(".") || id.equals("..") || id.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("container ID '" + id + "' cannot name a directory");
        }
        settings.plugins().require(NetworkAttacher.LOOPBACK.plugins().get(0).get("type").asText(), "loopback");
        List<NetworkInfo> requested = new ArrayList<>();
        List<List<PortMapping>> wanted = new ArrayList<>();
        List<Integer> wantedPorts = new ArrayList<>();
        for (int index : named) {
            NetworkInfo info = infos.get(index);
            NetworkConfig network = settings.configs().get(info.getName());
            new PluginChain(settings.plugins()).requirePlugins(network);
            for (Label label : info.getLabels().getLabelsList()) {
                if (!CNI_ARG.matcher(label.getKey()).matches() || !CNI_ARG.matcher(label.getValue()).matches()) {
                    throw new IllegalArgumentException("network '" + info.getName() + "': label '" + label.getKey()
                            + "=" + label.getValue() + "' cannot be passed in CNI_ARGS (no ';', '=' or spaces, not empty)");
                }
            }
            List<PortMapping> mappings = mappings(info);
            if (!mappings.isEmpty() && !network.mapsPorts()) {
                throw new IllegalArgumentException("network '" + info.getName() + "' (" + network.source() + ") has no"
                        + " plugin with the portMappings capability (such as portmap), so it cannot map ports");
            }
            mappings.forEach(m -> wantedPorts.add(m.hostPort()));
            requested.add(info);
            wanted.add(mappings);
        }
        List<Integer> assigned = ports.take(id, wantedPorts);

        List<Attachment> attachments = new ArrayList<>();
        Map<String, NetworkInfo> byInterface = new LinkedHashMap<>();
        int next = 0;
        for (int n = 0; n < requested.size(); n++) {
            List<PortMapping> mappings = new ArrayList<>();
            for (PortMapping m : wanted.get(n)) {
                mappings.add(new PortMapping(assigned.get(next++), m.containerPort(), m.protocol()));
            }
            String ifname = "eth" + n;
            attachments.add(new Attachment(requested.get(n).getName(), ifname, named.get(n), mappings));
            byInterface.put(ifname, requested.get(n));
        }

        boolean etcFiles = container.rootfs().isPresent();
        boolean ownUts = etcFiles && !config.getContainerInfo().hasHostname() && HOSTNAME.matcher(id).matches();
        Optional<String> hostname = !etcFiles ? Optional.empty()
                : config.getContainerInfo().hasHostname() ? Optional.of(config.getContainerInfo().getHostname())
                : ownUts ? Optional.of(id) : Optional.of(hostHostname());
        Path directory = root.resolve(id);
        ContainerNetworks networks = new ContainerNetworks(directory, cniContainerId(id), hostname, etcFiles,
                attachments);

        ContainerLaunchInfo.Builder launch = ContainerLaunchInfo.newBuilder().addCloneNamespaces(CLONE_NEWNET);
        if (etcFiles) {
            ContainerFiles files = new ContainerFiles(directory);
            for (String name : List.of(ContainerFiles.HOSTS, ContainerFiles.HOSTNAME, ContainerFiles.RESOLV_CONF)) {
                launch.addMounts(ContainerMountInfo.newBuilder().setSource(files.etc(name).toString())
                        .setTarget("/etc/" + name).setFlags(MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC));
            }
        }
        if (ownUts) {
            launch.addCloneNamespaces(CLONE_NEWUTS).setHostname(id);
        }
        return new NetworkPlan(networks, byInterface, launch.build());
    }

    /** Each attachment's NetworkInfo as the container asked for it (after a restart, from its config). */
    static Map<String, NetworkInfo> requested(ContainerConfig config, ContainerNetworks networks) {
        Map<String, NetworkInfo> requested = new LinkedHashMap<>();
        List<NetworkInfo> infos = config.getContainerInfo().getNetworkInfosList();
        for (Attachment a : networks.attachments()) {
            requested.put(a.ifname(), a.index() < infos.size() && infos.get(a.index()).getName().equals(a.network())
                    ? infos.get(a.index()) : NetworkInfo.newBuilder().setName(a.network()).build());
        }
        return requested;
    }

    /** What a container directory without a checkpoint says about its networks, to clean it up. */
    static ContainerNetworks fromFiles(Path dir) throws IOException {
        ContainerFiles files = new ContainerFiles(dir);
        List<Attachment> attachments = new ArrayList<>();
        String cniId = cniContainerId(dir.getFileName().toString());
        if (!Files.isDirectory(dir)) {
            return new ContainerNetworks(dir, cniId, Optional.empty(), false, attachments);
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "eth*.json")) {
            for (Path entry : entries) {
                String ifname = entry.getFileName().toString().replaceFirst("\\.json$", "");
                try {
                    Optional<ContainerFiles.Attached> attached = files.attached(ifname);
                    if (attached.isPresent()) {
                        cniId = attached.get().cniContainerId();
                        attachments.add(new Attachment(attached.get().config().name(), ifname, -1,
                                attached.get().portMappings()));
                    }
                } catch (IOException | IllegalArgumentException e) {
                    // unreadable: nothing to DEL for it; the directory goes anyway
                }
            }
        }
        attachments.sort(java.util.Comparator.comparing(Attachment::ifname));
        return new ContainerNetworks(dir, cniId, Optional.empty(), false, attachments);
    }

    private static List<PortMapping> mappings(NetworkInfo info) {
        List<PortMapping> mappings = new ArrayList<>();
        Set<String> fixed = new HashSet<>();
        for (NetworkInfo.PortMapping m : info.getPortMappingsList()) {
            String where = "network '" + info.getName() + "': port mapping " + m.getHostPort() + "->"
                    + m.getContainerPort();
            String protocol = m.getProtocol().isEmpty() ? "tcp" : m.getProtocol().toLowerCase(Locale.ROOT);
            if (!PROTOCOLS.contains(protocol)) {
                throw new IllegalArgumentException(where + " has protocol '" + m.getProtocol() + "'; use tcp, udp or sctp");
            }
            if (m.getContainerPort() < 1 || m.getContainerPort() > 65535) {
                throw new IllegalArgumentException(where + ": container_port must be 1-65535");
            }
            if (m.getHostPort() > 65535) {
                throw new IllegalArgumentException(where + ": host_port must be 0 (any free port) or 1-65535");
            }
            if (m.getHostPort() != 0 && !fixed.add(m.getHostPort() + "/" + protocol)) {
                throw new IllegalArgumentException(where + ": host port " + m.getHostPort() + "/" + protocol
                        + " is mapped twice");
            }
            mappings.add(new PortMapping(m.getHostPort(), m.getContainerPort(), protocol));
        }
        return mappings;
    }

    /** The container ID itself when CNI takes it, else a stable name derived from it. */
    static String cniContainerId(String id) {
        if (CNI_ID.matcher(id).matches()) {
            return id;
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
            return "unicon-" + HexFormat.of().formatHex(hash).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The kernel's hostname of the host (no DNS lookup). */
    private static String hostHostname() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
