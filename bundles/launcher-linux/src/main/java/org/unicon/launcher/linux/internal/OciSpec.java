package org.unicon.launcher.linux.internal;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.unicon.launcher.LaunchRequest;
import org.unicon.model.CapabilityInfo;
import org.unicon.model.CommandInfo;
import org.unicon.model.ContainerLaunchInfo;
import org.unicon.model.Environment;
import org.unicon.model.RLimitInfo;

/**
 * The OCI runtime spec ({@code config.json}) of a container, from the merged launch info as the
 * launch contract defines it (CONVENTIONS, issue 4). Pure: no file or process is touched.
 *
 * <p>Command: shell → {@code /bin/sh -c value}; otherwise {@code value} with {@code arguments} as
 * the argv — OCI has no separate executable path, so {@code args[0]} is {@code value} and
 * {@code arguments[0]} is dropped. Capabilities: Docker's default set unless given (bounding
 * defaults to the effective set); a non-root user loses them on exec, as with Docker.
 */
final class OciSpec {

    static final int CLONE_NEWNS = 0x20000;
    static final int CLONE_NEWCGROUP = 0x2000000;
    static final int CLONE_NEWUTS = 0x4000000;
    static final int CLONE_NEWIPC = 0x8000000;
    static final int CLONE_NEWUSER = 0x10000000;
    static final int CLONE_NEWPID = 0x20000000;
    static final int CLONE_NEWNET = 0x40000000;

    /** Docker's default capabilities (moby's oci/caps/defaults.go). */
    static final List<String> DOCKER_CAPABILITIES = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID",
            "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP",
            "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE");
    /** runc's defaults ({@code runc spec}). */
    static final List<String> MASKED_PATHS = List.of("/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys",
            "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware",
            "/proc/scsi");
    static final List<String> READONLY_PATHS = List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
            "/proc/sysrq-trigger");
    /** Mesos's {@code os::host_default_path()}. */
    static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private static final BigInteger RLIM_INFINITY = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    private static final Map<Integer, String> NAMESPACES = new LinkedHashMap<>();

    static {
        NAMESPACES.put(CLONE_NEWPID, "pid");
        NAMESPACES.put(CLONE_NEWNET, "network");
        NAMESPACES.put(CLONE_NEWIPC, "ipc");
        NAMESPACES.put(CLONE_NEWUTS, "uts");
        NAMESPACES.put(CLONE_NEWNS, "mount");
        NAMESPACES.put(CLONE_NEWCGROUP, "cgroup");
    }

    private OciSpec() {
    }

    /**
     * @param rootfs the container's root (symlinks resolved), or empty to run on the host's tree
     *            (then no mount namespace and no mounts are possible)
     * @param hostname set when the launch asks for a UTS namespace
     */
    static ObjectNode build(LaunchRequest request, UserLookup.Ids user, Optional<Path> rootfs,
            Optional<String> hostname, String cgroupsPath) {
        String id = request.containerId().getValue();
        ContainerLaunchInfo info = request.launchInfo();
        if (info.getEnterNamespacesCount() > 0) {
            throw new IllegalArgumentException("container '" + id + "' asks to enter namespaces"
                    + " (nested containers), which the linux launcher does not support");
        }
        int namespaces = 0;
        for (int flags : info.getCloneNamespacesList()) {
            namespaces |= flags;
        }
        if ((namespaces & CLONE_NEWUSER) != 0) {
            throw new IllegalArgumentException("container '" + id + "' asks for a user namespace, which the"
                    + " linux launcher does not support");
        }
        if (rootfs.isPresent()) {
            namespaces |= CLONE_NEWNS;
        } else if ((namespaces & CLONE_NEWNS) != 0 || info.getMountsCount() > 0) {
            throw new IllegalArgumentException("container '" + id + "' has mounts or a mount namespace but no"
                    + " rootfs: the linux launcher runs such containers on the host's tree, which cannot take"
                    + " mounts (give the container an image, or configure filesystem/linux)");
        }
        ObjectNode spec = JsonNodeFactory.instance.objectNode();
        spec.put("ociVersion", "1.0.2");
        spec.set("process", process(request, user, rootfs.isPresent()));
        ObjectNode root = spec.putObject("root");
        root.put("path", rootfs.map(Path::toString).orElse("/"));
        root.put("readonly", false);
        if ((namespaces & CLONE_NEWUTS) != 0) {
            hostname.filter(h -> !h.isEmpty()).ifPresent(h -> spec.put("hostname", h));
        }
        OciMounts.Translated mounts = OciMounts.translate(id, info.getMountsList());
        spec.set("mounts", mounts.mounts());
        ObjectNode linux = spec.putObject("linux");
        ArrayNode ns = linux.putArray("namespaces");
        for (Map.Entry<Integer, String> e : NAMESPACES.entrySet()) {
            if ((namespaces & e.getKey()) != 0) {
                ns.addObject().put("type", e.getValue());
            }
        }
        linux.put("cgroupsPath", cgroupsPath);
        linux.putObject("resources").putArray("devices").addObject().put("allow", false).put("access", "rwm");
        if (rootfs.isPresent()) {
            Set<String> masked = new LinkedHashSet<>(MASKED_PATHS);
            masked.addAll(info.getMaskedPathsList());
            ArrayNode m = linux.putArray("maskedPaths");
            masked.forEach(m::add);
            ArrayNode r = linux.putArray("readonlyPaths");
            READONLY_PATHS.forEach(r::add);
        }
        if (mounts.rootfsPropagation() != null) {
            linux.put("rootfsPropagation", mounts.rootfsPropagation());
        }
        return spec;
    }

    private static ObjectNode process(LaunchRequest request, UserLookup.Ids user, boolean hasRootfs) {
        String id = request.containerId().getValue();
        ContainerLaunchInfo info = request.launchInfo();
        if (!info.hasCommand() || info.getCommand().getValue().isEmpty()) {
            throw new IllegalArgumentException("container '" + id + "' has no command to run"
                    + " (launch info command.value is empty)");
        }
        CommandInfo command = info.getCommand();
        ObjectNode process = JsonNodeFactory.instance.objectNode();
        process.put("terminal", false);
        ObjectNode u = process.putObject("user");
        u.put("uid", user.uid());
        u.put("gid", user.gid());
        Set<Long> groups = new LinkedHashSet<>(user.additionalGids());
        info.getSupplementaryGroupsList().forEach(g -> groups.add(Integer.toUnsignedLong(g)));
        if (!groups.isEmpty()) {
            ArrayNode g = u.putArray("additionalGids");
            groups.forEach(g::add);
        }
        ArrayNode args = process.putArray("args");
        for (String arg : argv(command)) {
            checkNoNul(id, "command", arg);
            args.add(arg);
        }
        ArrayNode env = process.putArray("env");
        environment(id, info).forEach((k, v) -> env.add(k + "=" + v));
        process.put("cwd", workingDirectory(request, hasRootfs));
        ObjectNode caps = process.putObject("capabilities");
        List<String> effective = info.hasEffectiveCapabilities()
                ? capabilities(id, info.getEffectiveCapabilities()) : DOCKER_CAPABILITIES;
        List<String> bounding = info.hasBoundingCapabilities()
                ? capabilities(id, info.getBoundingCapabilities()) : effective;
        List<String> permitted = effective.stream().filter(bounding::contains).toList();
        caps.set("bounding", strings(bounding));
        caps.set("effective", strings(permitted));
        caps.set("permitted", strings(permitted));
        if (info.hasRlimits()) {
            process.set("rlimits", rlimits(id, info.getRlimits()));
        }
        process.put("noNewPrivileges", info.getNoNewPrivileges());
        return process;
    }

    static List<String> argv(CommandInfo command) {
        if (command.getShell()) {
            return List.of("/bin/sh", "-c", command.getValue());
        }
        List<String> argv = new ArrayList<>();
        argv.add(command.getValue());
        if (command.getArgumentsCount() > 1) {
            argv.addAll(command.getArgumentsList().subList(1, command.getArgumentsCount()));
        }
        return argv;
    }

    /** The launch info's variables, then the command's (they win, as in Mesos); PATH defaulted. */
    private static Map<String, String> environment(String id, ContainerLaunchInfo info) {
        Map<String, String> env = new LinkedHashMap<>();
        addVariables(id, info.getEnvironment(), env);
        addVariables(id, info.getCommand().getEnvironment(), env);
        env.putIfAbsent("PATH", DEFAULT_PATH);
        return env;
    }

    private static void addVariables(String id, Environment environment, Map<String, String> into) {
        for (Environment.Variable v : environment.getVariablesList()) {
            if (v.getType() == Environment.Variable.Type.SECRET) {
                continue; // as in Mesos: the environment_secret isolator contributes the value
            }
            if (v.getName().isEmpty() || v.getName().indexOf('=') >= 0 || v.getName().indexOf('\0') >= 0) {
                throw new IllegalArgumentException("container '" + id + "' has an environment variable with"
                        + " an invalid name '" + v.getName() + "' (empty, or has '=' or NUL)");
            }
            checkNoNul(id, "environment variable " + v.getName(), v.getValue());
            into.put(v.getName(), v.getValue());
        }
    }

    private static String workingDirectory(LaunchRequest request, boolean hasRootfs) {
        String wd = request.launchInfo().getWorkingDirectory();
        if (hasRootfs) {
            return Path.of("/").resolve(wd.isEmpty() ? "/" : wd).normalize().toString();
        }
        return request.sandbox().resolve(wd).normalize().toAbsolutePath().toString();
    }

    private static List<String> capabilities(String id, CapabilityInfo info) {
        List<String> names = new ArrayList<>();
        for (CapabilityInfo.Capability c : info.getCapabilitiesList()) {
            if (c == CapabilityInfo.Capability.UNKNOWN) {
                throw new IllegalArgumentException("container '" + id + "' asks for an unknown capability");
            }
            names.add("CAP_" + c.name());
        }
        return names;
    }

    private static ArrayNode rlimits(String id, RLimitInfo info) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (RLimitInfo.RLimit limit : info.getRlimitsList()) {
            if (limit.getType() == RLimitInfo.RLimit.Type.UNKNOWN) {
                throw new IllegalArgumentException("container '" + id + "' sets an rlimit of unknown type");
            }
            if (limit.hasSoft() != limit.hasHard()) {
                throw new IllegalArgumentException("rlimit " + limit.getType() + " of container '" + id
                        + "' must set both soft and hard, or neither (unlimited)");
            }
            if (limit.hasSoft() && Long.compareUnsigned(limit.getSoft(), limit.getHard()) > 0) {
                throw new IllegalArgumentException("rlimit " + limit.getType() + " of container '" + id
                        + "' has a soft limit above its hard limit");
            }
            ObjectNode entry = out.addObject();
            entry.put("type", "RLIMIT_" + limit.getType().name().substring("RLMT_".length()));
            entry.put("hard", limit.hasHard() ? unsigned(limit.getHard()) : RLIM_INFINITY);
            entry.put("soft", limit.hasSoft() ? unsigned(limit.getSoft()) : RLIM_INFINITY);
        }
        return out;
    }

    private static BigInteger unsigned(long value) {
        return new BigInteger(Long.toUnsignedString(value));
    }

    private static ArrayNode strings(List<String> values) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        values.forEach(a::add);
        return a;
    }

    private static void checkNoNul(String id, String what, String value) {
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(what + " of container '" + id + "' contains a NUL character");
        }
    }
}
