package org.unicon.isolator.cni.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.unicon.hostfs.TreeDeleter;
import org.unicon.isolator.cni.internal.ContainerNetworks.Attachment;

/**
 * The work on one container's networks: attaching (keep the namespace, bring up loopback, ADD
 * every network in order, write the /etc files), checking, and detaching (DEL every network in
 * reverse, then drop the namespace and the files, whatever failed). Stateless: everything it
 * needs is in the {@link ContainerNetworks} and the container's files.
 */
final class NetworkAttacher {
    /** Brings up {@code lo} in the container, as every CNI runtime does before the real networks. */
    static final NetworkConfig LOOPBACK = NetworkConfig.parse(JsonNodeFactory.instance.objectNode()
            .put("cniVersion", "0.3.1").put("name", "loopback").put("type", "loopback"), "the loopback network");

    private final PluginChain chain;
    private final Path hostResolvConf;

    NetworkAttacher(PluginChain chain, Path hostResolvConf) {
        this.chain = chain;
        this.hostResolvConf = hostResolvConf;
    }

    /**
     * Joins the container (whose init is {@code pid}) to its networks and returns each
     * interface's result. On failure what was done stays recorded for {@link #detach}.
     *
     * @param configs each attachment's network configuration, by interface
     * @param networkInfos each attachment's NetworkInfo as JSON, by interface
     */
    Map<String, CniResult> attach(String id, long pid, ContainerNetworks networks, Map<String, NetworkConfig> configs,
            Map<String, JsonNode> networkInfos) throws IOException {
        ContainerFiles files = new ContainerFiles(networks.directory());
        NetnsHandle.bind(id, pid, files.netns());
        Optional<Path> netns = Optional.of(files.netns());
        chain.add(LOOPBACK, new PluginChain.Target(networks.cniContainerId(), netns, "lo", cniArgs(Map.of()), List.of(),
                JsonNodeFactory.instance.objectNode()));
        Map<String, CniResult> results = new java.util.LinkedHashMap<>();
        for (Attachment a : networks.attachments()) {
            NetworkConfig config = configs.get(a.ifname());
            files.recordAttaching(a.ifname(), networks.cniContainerId(), config, a.portMappings());
            JsonNode result = chain.add(config, target(networks, a, netns, networkInfos.get(a.ifname())));
            if (result == null || !result.isObject()) {
                throw new IOException("network '" + a.network() + "': its last plugin printed no result");
            }
            files.recordAttached(a.ifname(), networks.cniContainerId(), config, a.portMappings(), result);
            results.put(a.ifname(), CniResult.of(result));
        }
        if (networks.etcFiles()) {
            writeEtcFiles(files, networks.hostname().orElse("localhost"), results.values());
        }
        return results;
    }

    /** CHECK of every network that was added; the messages of the failures (empty when all is well). */
    List<String> check(ContainerNetworks networks, Map<String, JsonNode> networkInfos) throws IOException {
        ContainerFiles files = new ContainerFiles(networks.directory());
        List<String> failures = new ArrayList<>();
        if (!NetnsHandle.isMounted(files.netns())) {
            failures.add("its network namespace " + files.netns() + " is gone");
            return failures;
        }
        for (Attachment a : networks.attachments()) {
            Optional<ContainerFiles.Attached> attached = files.attached(a.ifname());
            if (attached.isEmpty() || attached.get().result().isEmpty() || !attached.get().config().supportsCheck()) {
                continue;
            }
            try {
                chain.check(attached.get().config(), target(networks, a, Optional.of(files.netns()),
                        networkInfos.getOrDefault(a.ifname(), JsonNodeFactory.instance.objectNode())),
                        attached.get().result().get());
            } catch (IOException e) {
                failures.add(e.getMessage());
            }
        }
        return failures;
    }

    /**
     * Leaves every network (DEL, last joined first), then unmounts the namespace and deletes the
     * container's files even when a plugin failed. Returns the failures; nothing of the
     * container is left on disk or mounted unless a failure says so.
     */
    List<String> detach(ContainerNetworks networks, Map<String, JsonNode> networkInfos) {
        ContainerFiles files = new ContainerFiles(networks.directory());
        List<String> failures = new ArrayList<>();
        Optional<Path> netns;
        try {
            // After a reboot the handle is a plain file: DEL then runs without CNI_NETNS (as Mesos).
            netns = NetnsHandle.isMounted(files.netns()) ? Optional.of(files.netns()) : Optional.empty();
        } catch (IOException e) {
            netns = Optional.empty();
            failures.add("cannot read the mount table: " + e.getMessage());
        }
        List<Attachment> reversed = new ArrayList<>(networks.attachments());
        java.util.Collections.reverse(reversed);
        for (Attachment a : reversed) {
            try {
                Optional<ContainerFiles.Attached> attached = files.attached(a.ifname());
                if (attached.isPresent()) {
                    failures.addAll(chain.delete(attached.get().config(), target(networks, a, netns,
                            networkInfos.getOrDefault(a.ifname(), JsonNodeFactory.instance.objectNode())),
                            attached.get().result()));
                }
            } catch (IOException | IllegalArgumentException e) {
                failures.add("network '" + a.network() + "': cannot read what ADD recorded: " + e.getMessage());
            }
        }
        try {
            NetnsHandle.release(files.netns());
        } catch (IOException e) {
            failures.add("cannot release the network namespace " + files.netns() + ": " + e.getMessage());
        }
        try {
            TreeDeleter.delete(files.dir());
        } catch (IOException e) {
            failures.add("cannot delete " + files.dir() + ": " + e.getMessage());
        }
        return failures;
    }

    /** Writes the /etc files of a container before it has a network: localhost only. */
    void writeInitialEtcFiles(ContainerNetworks networks) throws IOException {
        writeEtcFiles(new ContainerFiles(networks.directory()), networks.hostname().orElse("localhost"), List.of());
    }

    private void writeEtcFiles(ContainerFiles files, String hostname, java.util.Collection<CniResult> results)
            throws IOException {
        StringBuilder hosts = new StringBuilder("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n");
        results.stream().map(CniResult::primaryAddress).flatMap(Optional::stream).findFirst()
                .ifPresent(ip -> hosts.append(ip).append('\t').append(hostname).append('\n'));
        files.writeEtc(ContainerFiles.HOSTS, hosts.toString());
        files.writeEtc(ContainerFiles.HOSTNAME, hostname + "\n");
        Optional<CniResult> dns = results.stream().filter(CniResult::hasDns).findFirst();
        files.writeEtc(ContainerFiles.RESOLV_CONF, dns.isPresent() ? dns.get().resolvConf() : hostResolvConf());
    }

    private String hostResolvConf() throws IOException {
        try {
            return Files.readString(hostResolvConf, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return "# the host has no " + hostResolvConf + " and the CNI result names no DNS server\n";
        }
    }

    private static PluginChain.Target target(ContainerNetworks networks, Attachment a, Optional<Path> netns,
            JsonNode networkInfo) {
        return new PluginChain.Target(networks.cniContainerId(), netns, a.ifname(), cniArgs(labels(networkInfo)),
                a.portMappings(), networkInfo);
    }

    private static Map<String, String> labels(JsonNode networkInfo) {
        Map<String, String> labels = new java.util.LinkedHashMap<>();
        networkInfo.path("labels").path("labels").forEach(l -> labels.put(l.path("key").asText(), l.path("value").asText()));
        return labels;
    }

    /** {@code CNI_ARGS}: the network's labels as {@code K=V} pairs; IgnoreUnknown lets plugins skip them. */
    static String cniArgs(Map<String, String> labels) {
        StringBuilder args = new StringBuilder("IgnoreUnknown=1");
        labels.forEach((k, v) -> args.append(';').append(k).append('=').append(v));
        return args.toString();
    }

    /** A NetworkInfo in Mesos's JSON field names, for the plugins' {@code args}. */
    static ObjectNode networkInfoJson(org.unicon.model.NetworkInfo info) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("name", info.getName());
        if (info.getGroupsCount() > 0) {
            info.getGroupsList().forEach(json.putArray("groups")::add);
        }
        if (info.hasLabels()) {
            var list = json.putObject("labels").putArray("labels");
            info.getLabels().getLabelsList().forEach(l -> list.addObject().put("key", l.getKey()).put("value", l.getValue()));
        }
        if (info.getPortMappingsCount() > 0) {
            var list = json.putArray("port_mappings");
            info.getPortMappingsList().forEach(m -> list.addObject().put("host_port", m.getHostPort())
                    .put("container_port", m.getContainerPort()).put("protocol", m.getProtocol()));
        }
        return json;
    }
}
