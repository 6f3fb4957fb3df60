package org.unicon.isolator.cni.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import org.unicon.hostfs.TreeDeleter;
import org.unicon.isolator.ContainerContext;
import org.unicon.isolator.Isolator;
import org.unicon.isolator.RecoveredContainer;
import org.unicon.isolator.cni.internal.ContainerNetworks.Attachment;
import org.unicon.model.ContainerID;
import org.unicon.model.ContainerLaunchInfo;
import org.unicon.model.ContainerStatus;
import org.unicon.model.NetworkInfo;

/**
 * {@code network/cni}: containers join CNI networks by name, as with Mesos's isolator of that
 * name. A container that names no network keeps the host's network and is not touched.
 *
 * <p>prepare ({@link NetworkPlan}) checks the networks and their plugins, assigns host ports,
 * checkpoints the plan, and asks for a network namespace (plus, with an image, /etc/hosts,
 * /etc/hostname and /etc/resolv.conf of its own, and a UTS namespace named after the container
 * unless it has a hostname). isolate keeps the new namespace as a bind mount under the root
 * directory and runs the plugins ({@link NetworkAttacher}); status reports the addresses and
 * the assigned host ports; cleanup runs DEL and removes the namespace and the files even when a
 * plugin fails, then reports the failures; recover reads the checkpoint and the recorded results
 * back, holds the host ports again and runs CHECK, logging what it finds wrong.
 */
final class CniIsolator implements Isolator {
    private static final System.Logger LOG = System.getLogger(CniIsolator.class.getName());

    /**
     * What a configuration change replaces: where networks and plugins are, and the port ranges;
     * or, when the agent started with a configuration it refused, why (launches that ask for a
     * network fail with that reason; the others are not concerned).
     */
    record Settings(NetworkConfigs configs, CniPlugins plugins, List<HostPorts.Range> ranges,
            Optional<String> problem) {
        Settings(NetworkConfigs configs, CniPlugins plugins, List<HostPorts.Range> ranges) {
            this(configs, plugins, ranges, Optional.empty());
        }

        static Settings refused(String problem) {
            return new Settings(new NetworkConfigs(Optional.empty()), new CniPlugins("/usr/lib/cni"),
                    HostPorts.parse("[31000-32000]"), Optional.of(problem));
        }
    }

    /** A container this isolator prepared, with the results of its networks once attached. */
    private record Tracked(ContainerNetworks networks, Map<String, JsonNode> networkInfos,
            Map<String, NetworkInfo> requested, Map<String, CniResult> results) {}

    private final Path root;
    private final Path hostResolvConf;
    private final HostPorts ports;
    private volatile Settings settings;
    private final Map<String, Tracked> containers = new ConcurrentHashMap<>();

    /**
     * @param root where each container's directory is made ({@code <root>/<id>/})
     * @param hostResolvConf copied into containers whose networks name no DNS server
     */
    CniIsolator(Path root, Settings settings, Path hostResolvConf) {
        this.root = root.toAbsolutePath().normalize();
        this.hostResolvConf = hostResolvConf;
        this.settings = settings;
        this.ports = new HostPorts(settings.ranges());
    }

    /** New settings apply to launches from now on; containers keep the networks they joined. */
    void settings(Settings next) {
        settings = next;
        ports.ranges(next.ranges());
    }

    @Override
    public Optional<ContainerLaunchInfo> prepare(ContainerContext container) throws Exception {
        String id = container.containerId().getValue();
        Settings current = settings;
        NetworkPlan plan = NetworkPlan.of(container, current, root, ports);
        if (plan == null) {
            return Optional.empty(); // no named network: the host's
        }
        try {
            container.checkpoint(plan.networks().toBytes());
            Files.createDirectories(plan.networks().directory());
            if (plan.networks().etcFiles()) {
                attacher(current).writeInitialEtcFiles(plan.networks());
            }
        } catch (Exception e) {
            ports.release(id);
            TreeDeleter.delete(plan.networks().directory());
            throw e;
        }
        containers.put(id, tracked(plan.networks(), plan.requested()));
        LOG.log(Level.INFO, "container ''{0}'': joins {1}", id, describe(plan.networks()));
        return Optional.of(plan.launchInfo());
    }

    @Override
    public void isolate(ContainerID containerId, long pid) throws Exception {
        String id = containerId.getValue();
        Tracked tracked = containers.get(id);
        if (tracked == null) {
            return;
        }
        Settings current = settings;
        Map<String, NetworkConfig> configs = new LinkedHashMap<>();
        for (Attachment a : tracked.networks().attachments()) {
            configs.put(a.ifname(), current.configs().get(a.network()));
        }
        Map<String, CniResult> results = attacher(current).attach(id, pid, tracked.networks(), configs,
                tracked.networkInfos());
        tracked.results().putAll(results);
        LOG.log(Level.INFO, "container ''{0}'': attached, addresses {1}", id,
                results.values().stream().flatMap(r -> r.addresses().stream()).toList());
    }

    @Override
    public ContainerStatus status(ContainerID containerId) {
        Tracked tracked = containers.get(containerId.getValue());
        if (tracked == null) {
            return ContainerStatus.getDefaultInstance();
        }
        ContainerStatus.Builder status = ContainerStatus.newBuilder();
        for (Attachment a : tracked.networks().attachments()) {
            NetworkInfo.Builder info = tracked.requested().getOrDefault(a.ifname(),
                    NetworkInfo.newBuilder().setName(a.network()).build()).toBuilder()
                    .clearIpAddresses().clearPortMappings();
            CniResult result = tracked.results().get(a.ifname());
            if (result != null) {
                for (String address : result.addresses()) {
                    info.addIpAddresses(NetworkInfo.IPAddress.newBuilder().setIpAddress(address)
                            .setProtocol(address.contains(":") ? NetworkInfo.Protocol.IPv6 : NetworkInfo.Protocol.IPv4));
                }
            }
            for (ContainerNetworks.PortMapping m : a.portMappings()) {
                info.addPortMappings(NetworkInfo.PortMapping.newBuilder().setHostPort(m.hostPort())
                        .setContainerPort(m.containerPort()).setProtocol(m.protocol()));
            }
            status.addNetworkInfos(info);
        }
        return status.build();
    }

    @Override
    public void cleanup(ContainerID containerId) throws Exception {
        String id = containerId.getValue();
        Tracked tracked = containers.remove(id);
        if (tracked == null) {
            return; // never prepared here, or cleaned up already
        }
        List<String> failures = attacher(settings).detach(tracked.networks(), tracked.networkInfos());
        ports.release(id);
        if (!failures.isEmpty()) {
            LOG.log(Level.WARNING, "container ''{0}'': left its networks with errors: {1}", id, failures);
            throw new IOException("container '" + id + "' left its networks, but: " + String.join("; ", failures)
                    + " (its network namespace and files are removed)");
        }
        LOG.log(Level.INFO, "container ''{0}'': left {1}", id, describe(tracked.networks()));
    }

    /**
     * Takes the containers back: their plan from the checkpoint, the results recorded beside
     * their namespace, their host ports; then CHECKs their networks. Directories under the root
     * that no container owns (left by a container whose cleanup never ran) are cleaned up.
     */
    @Override
    public void recover(List<RecoveredContainer> recovered, Set<ContainerID> orphans) throws Exception {
        Set<String> owned = new HashSet<>();
        orphans.forEach(o -> owned.add(o.getValue()));
        for (RecoveredContainer container : recovered) {
            String id = container.containerId().getValue();
            owned.add(id);
            if (container.state().isEmpty() || containers.containsKey(id)) {
                continue;
            }
            ContainerNetworks networks;
            try {
                networks = ContainerNetworks.parse(container.state().get().getState().toByteArray());
            } catch (IOException e) {
                // Still clean up what the directory says, so that nothing is left once it ends.
                LOG.log(Level.ERROR, "container ''{0}'': network/cni cannot read its checkpoint ({1}); it will only"
                        + " undo what {2} records", id, e.getMessage(), root.resolve(id));
                networks = NetworkPlan.fromFiles(root.resolve(id));
            }
            try {
                ports.restore(id, networks.hostPorts());
            } catch (IllegalArgumentException e) {
                LOG.log(Level.ERROR, "container ''{0}'': {1}", id, e.getMessage());
            }
            Tracked tracked = tracked(networks, NetworkPlan.requested(container.config(), networks));
            containers.put(id, tracked);
            try {
                ContainerFiles files = new ContainerFiles(networks.directory());
                for (Attachment a : networks.attachments()) {
                    files.attached(a.ifname()).flatMap(ContainerFiles.Attached::result)
                            .ifPresent(r -> tracked.results().put(a.ifname(), CniResult.of(r)));
                }
                List<String> problems = tracked.results().isEmpty() ? List.of()
                        : attacher(settings).check(networks, tracked.networkInfos());
                if (problems.isEmpty()) {
                    LOG.log(Level.INFO, "container ''{0}'': recovered {1}", id, describe(networks));
                } else {
                    LOG.log(Level.WARNING, "container ''{0}'': recovered {1}, but CHECK found: {2}", id,
                            describe(networks), String.join("; ", problems));
                }
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.ERROR, "container ''{0}'': network/cni cannot read its networks'' results: {1}", id,
                        e.getMessage());
            }
        }
        cleanUnowned(owned);
    }

    /** CHECK of a container's networks now; the problems found (for tests and operators' tools). */
    List<String> check(ContainerID containerId) throws IOException {
        Tracked tracked = containers.get(containerId.getValue());
        return tracked == null ? List.of() : attacher(settings).check(tracked.networks(), tracked.networkInfos());
    }

    private void cleanUnowned(Set<String> owned) throws IOException {
        if (!Files.isDirectory(root)) {
            return;
        }
        List<Path> unowned = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, Files::isDirectory)) {
            for (Path dir : dirs) {
                String id = dir.getFileName().toString();
                if (!owned.contains(id) && !containers.containsKey(id)) {
                    unowned.add(dir);
                }
            }
        }
        for (Path dir : unowned) {
            ContainerNetworks leftover = NetworkPlan.fromFiles(dir);
            List<String> failures = attacher(settings).detach(leftover, Map.of());
            LOG.log(Level.WARNING, "{0}: no container owns it any more; removed it{1}", dir,
                    failures.isEmpty() ? "" : " with errors: " + failures);
        }
    }

    private NetworkAttacher attacher(Settings current) {
        return new NetworkAttacher(new PluginChain(current.plugins()), hostResolvConf);
    }

    private static Tracked tracked(ContainerNetworks networks, Map<String, NetworkInfo> requested) {
        Map<String, JsonNode> json = new LinkedHashMap<>();
        requested.forEach((ifname, info) -> json.put(ifname, NetworkAttacher.networkInfoJson(info)));
        return new Tracked(networks, json, requested, new ConcurrentHashMap<>());
    }

    private static String describe(ContainerNetworks networks) {
        List<String> parts = new ArrayList<>();
        for (Attachment a : networks.attachments()) {
            parts.add(a.network() + " as " + a.ifname() + (a.portMappings().isEmpty() ? "" : " " + a.portMappings()));
        }
        return String.join(", ", parts);
    }
}
