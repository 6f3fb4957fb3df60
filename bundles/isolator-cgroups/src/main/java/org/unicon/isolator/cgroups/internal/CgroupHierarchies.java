package org.unicon.isolator.cgroups.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one place that names cgroup directories. A container's cgroup for a controller is {@code
 * <hierarchy>/<cgroups_root>/<container id>}, the same {@code cgroupsPath} the linux launcher gives
 * runc/crun, so the runtime joins the cgroups the isolators made instead of making its own.
 *
 * <p>The hierarchy of each controller is detected from {@code /proc/self/mountinfo}: a v1 mount
 * ({@code cgroup}) names its controllers in its super options (hybrid hosts mount {@code cpu} and
 * {@code cpuacct} separately or together); a controller no v1 hierarchy has is v2 when the unified
 * mount's {@code cgroup.controllers} lists it. A controller can only be in one of them.
 */
final class CgroupHierarchies {
    private static final Pattern SAFE_NAME = Pattern.compile("[^/\\x00]+");

    private final Map<Controller, Hierarchy> byController;

    CgroupHierarchies(Map<Controller, Hierarchy> byController) {
        this.byController = Map.copyOf(byController);
    }

    /** The hierarchies of this host, from this process's mount table. */
    static CgroupHierarchies detect() throws IOException {
        return parse(Files.readAllLines(Path.of("/proc/self/mountinfo")), CgroupHierarchies::readControllers);
    }

    /** What the kernel lists in a v2 cgroup's {@code cgroup.controllers} (one line of names). */
    interface ControllersReader {
        Set<String> read(Path v2MountPoint) throws IOException;
    }

    static CgroupHierarchies parse(List<String> mountinfo, ControllersReader v2Controllers) throws IOException {
        Map<Controller, Hierarchy> found = new EnumMap<>(Controller.class);
        Path unified = null;
        for (String line : mountinfo) {
            // id parent major:minor root mountpoint options [optional fields] - fstype source superoptions
            String[] f = line.split(" ");
            int dash = List.of(f).indexOf("-");
            if (dash < 5 || dash + 3 >= f.length || !f[3].equals("/")) {
                continue; // not a hierarchy's root (a bind mount of a sub-cgroup, for instance)
            }
            Path mountPoint = Path.of(unescape(f[4]));
            if (f[dash + 1].equals("cgroup2")) {
                unified = mountPoint; // the last mount wins: it is the one visible at that path
            } else if (f[dash + 1].equals("cgroup")) {
                Set<String> options = Set.of(f[dash + 3].split(","));
                for (Controller c : Controller.values()) {
                    if (options.contains(c.kernelName)) {
                        found.put(c, new Hierarchy(mountPoint, false));
                    }
                }
            }
        }
        if (unified != null) {
            Set<String> available = v2Controllers.read(unified);
            for (Controller c : Controller.values()) {
                // cpuacct's statistics (cpu.stat) exist in every v2 cgroup, enabled controller or not
                boolean inV2 = c == Controller.CPUACCT || available.contains(c.kernelName);
                if (!found.containsKey(c) && inV2) {
                    found.put(c, new Hierarchy(unified, true));
                }
            }
        }
        return new CgroupHierarchies(found);
    }

    private static Set<String> readControllers(Path v2MountPoint) throws IOException {
        try {
            String line = Files.readString(v2MountPoint.resolve("cgroup.controllers")).strip();
            return line.isEmpty() ? Set.of() : Set.of(line.split("\\s+"));
        } catch (NoSuchFileException e) {
            return Set.of();
        }
    }

    Optional<Hierarchy> hierarchy(Controller controller) {
        return Optional.ofNullable(byController.get(controller));
    }

    /** The hierarchy of {@code controller}, or an error an operator can act on. */
    Hierarchy require(Controller controller) throws IOException {
        Hierarchy h = byController.get(controller);
        if (h == null) {
            throw new IOException("this host has no '" + controller.kernelName + "' cgroup controller (no cgroup v1"
                    + " hierarchy mounts it and cgroup2's cgroup.controllers does not list it)");
        }
        return h;
    }

    /** {@code <hierarchy>/<cgroupsRoot>}: the parent of every container's cgroup. */
    Path rootCgroup(Controller controller, String cgroupsRoot) throws IOException {
        return require(controller).mountPoint().resolve(checkRoot(cgroupsRoot));
    }

    /** {@code <hierarchy>/<cgroupsRoot>/<containerId>}. */
    Path containerCgroup(Controller controller, String cgroupsRoot, String containerId) throws IOException {
        if (!SAFE_NAME.matcher(containerId).matches() || containerId.equals(".") || containerId.equals("..")) {
            throw new IllegalArgumentException("container ID '" + containerId + "' cannot name a cgroup");
        }
        return rootCgroup(controller, cgroupsRoot).resolve(containerId);
    }

    /** The distinct directories of a container's cgroups for these controllers (co-mounted ones once). */
    List<Path> containerCgroups(Set<Controller> controllers, String cgroupsRoot, String containerId) throws IOException {
        Set<Path> dirs = new LinkedHashSet<>();
        for (Controller c : controllers) {
            dirs.add(containerCgroup(c, cgroupsRoot, containerId));
        }
        return new ArrayList<>(dirs);
    }

    /** The {@code cgroupsPath} the linux launcher gives the runtime for this container. */
    static String cgroupsPath(String cgroupsRoot, String containerId) {
        return "/" + checkRoot(cgroupsRoot) + "/" + containerId;
    }

    /** A relative path of plain names such as {@code unicon} or {@code a/b}: never escapes a hierarchy. */
    static String checkRoot(String cgroupsRoot) {
        String root = cgroupsRoot.replaceAll("^/+|/+$", "");
        for (String part : root.split("/")) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                throw new IllegalArgumentException("cgroups_root '" + cgroupsRoot + "' is not a path of plain names"
                        + " like 'unicon'");
            }
        }
        return root;
    }

    /** mountinfo escapes space, tab, newline and backslash as octal. */
    private static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length()) {
                try {
                    b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                    i += 3;
                    continue;
                } catch (NumberFormatException e) {
                    // not an escape: keep the backslash
                }
            }
            b.append(c);
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return byController.toString();
    }
}
