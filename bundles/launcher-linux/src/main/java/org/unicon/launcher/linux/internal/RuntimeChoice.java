package org.unicon.launcher.linux.internal;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Picks the OCI runtime: {@code runc}, {@code crun}, or {@code auto} (crun when it really works
 * on this host, else runc). Whether crun works is found out by running a container with it: on a
 * hybrid cgroup host whose cgroup2 mount has controllers, crun 1.8 refuses every container
 * ("cgroups in hybrid mode not supported"). Then crun is tried through a wrapper that unmounts
 * cgroup2 in a private mount namespace of its own (crun sees pure cgroup v1; the host is not
 * changed). If that fails too, {@code auto} falls back to runc and logs why; {@code crun} fails.
 * What the probe found is remembered ({@link RuntimeChoiceRecord}) and used again, without
 * probing, while the boot, the binaries and the cgroup layout are the same.
 *
 * <p>The probe container: an empty rootfs with {@code /proc}, a {@code /dev} tmpfs and the host's
 * {@code /usr}, {@code /bin}, {@code /lib*}, {@code /sbin} bound read-only, running {@code /bin/true}, cgroupsPath
 * {@code /unicon-runtime-probe-<pid>}; deleted afterwards. Its cgroups are at the top of each
 * hierarchy, not under the containers' root: {@code run} removes the cgroups it made when the
 * container ends, even if the agent died meanwhile (it stopping while the launcher activates
 * does not wait for the probe), but it would leave a root it had made, which nothing removes.
 */
final class RuntimeChoice {

    private static final Logger LOG = System.getLogger(RuntimeChoice.class.getName());
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * The version of the hybrid wrapper's text, part of the remembered choice's key: an agent
     * whose wrapper changed probes again and so rewrites it. 2: cgroup2 covered, not unmounted.
     */
    static final int WRAPPER_VERSION = 2;

    private RuntimeChoice() {
    }

    /**
     * @param mode runc, crun or auto
     * @param runtimePath the runtime binary, or "" to look the chosen runtime up in PATH
     * @param stateDirectory the launcher's own directory (runtime roots, the wrapper, the probe)
     */
    static RuntimeCli choose(String mode, String runtimePath, Path stateDirectory, String cgroupsRoot)
            throws IOException, InterruptedException {
        if (mode.strip().equals("runc")) {
            return runc(runtimePath, stateDirectory); // nothing to probe
        }
        String key = RuntimeChoiceRecord.key(mode, runtimePath, cgroupsRoot);
        Optional<RuntimeCli> known = RuntimeChoiceRecord.read(stateDirectory, key);
        if (known.isPresent()) {
            LOG.log(Level.INFO, "runtime " + mode.strip() + ": " + known.get().name() + " through "
                    + known.get().executable() + ", as the probe found earlier in this boot with the same binaries"
                    + " and cgroups (" + stateDirectory.resolve(RuntimeChoiceRecord.FILE) + ")");
            return known.get();
        }
        RuntimeCli chosen = probe(mode, runtimePath, stateDirectory);
        RuntimeChoiceRecord.write(stateDirectory, key, chosen);
        return chosen;
    }

    private static RuntimeCli probe(String mode, String runtimePath, Path stateDirectory)
            throws IOException, InterruptedException {
        switch (mode.strip()) {
            case "runc":
                return runc(runtimePath, stateDirectory);
            case "crun": {
                Path crun = binary("crun", runtimePath)
                        .orElseThrow(() -> new IllegalArgumentException("runtime=crun but no crun binary was found"
                                + (runtimePath.isBlank() ? " in PATH" : " at " + runtimePath)));
                return crun(crun, stateDirectory).orElseThrow(() -> new IllegalStateException(
                        "runtime=crun but crun cannot run containers on this host, not even with the hybrid"
                                + " cgroup wrapper (see the log); use runtime=runc or auto"));
            }
            case "auto": {
                Optional<Path> crun = binary("crun", ""); // runtime_path names the runtime of runc/crun only
                if (crun.isEmpty()) {
                    LOG.log(Level.INFO, "runtime auto: crun is not installed, using runc");
                    return runc("", stateDirectory);
                }
                Optional<RuntimeCli> works = crun(crun.get(), stateDirectory);
                if (works.isPresent()) {
                    return works.get();
                }
                LOG.log(Level.WARNING, "runtime auto: crun does not work on this host (see above), using runc");
                return runc("", stateDirectory);
            }
            default:
                throw new IllegalArgumentException("runtime '" + mode + "' is not runc, crun or auto");
        }
    }

    static RuntimeCli runc(String runtimePath, Path stateDirectory) {
        Path runc = binary("runc", runtimePath).orElseThrow(() -> new IllegalArgumentException(
                "no runc binary was found" + (runtimePath.isBlank() ? " in PATH" : " at " + runtimePath)));
        return new RuntimeCli("runc", runc, stateDirectory.resolve("runc"));
    }

    /** crun as is if it runs a container here, else through the wrapper if that does. */
    static Optional<RuntimeCli> crun(Path crun, Path stateDirectory)
            throws IOException, InterruptedException {
        Path root = stateDirectory.resolve("crun");
        RuntimeCli plain = new RuntimeCli("crun", crun, root);
        String plainError = probeContainer(plain, stateDirectory);
        if (plainError == null) {
            LOG.log(Level.INFO, "runtime: crun " + crun + " works on this host");
            return Optional.of(plain);
        }
        Optional<Path> cgroup2 = hybridCgroup2();
        if (cgroup2.isEmpty()) {
            LOG.log(Level.WARNING, "runtime: crun " + crun + " cannot run a container here: " + plainError);
            return Optional.empty();
        }
        Path wrapper = writeWrapper(crun, cgroup2.get(), stateDirectory);
        RuntimeCli wrapped = new RuntimeCli("crun", wrapper, root, crun);
        String wrappedError = probeContainer(wrapped, stateDirectory);
        if (wrappedError == null) {
            // Only creating needs the wrapper; should crun as it is fail even to list, use the wrapper for all.
            if (!RuntimeCli.run(List.of(crun.toString(), "--root", root.toString(), "list"), PROBE_TIMEOUT).ok()) {
                wrapped = new RuntimeCli("crun", wrapper, root);
            }
            LOG.log(Level.INFO, "runtime: crun refuses this hybrid cgroup host (" + plainError + "); creating"
                    + " containers through " + wrapped.executable() + ", which hides " + cgroup2.get()
                    + " from crun only; controlling them with " + wrapped.control());
            return Optional.of(wrapped);
        }
        LOG.log(Level.WARNING, "runtime: crun cannot run a container here: " + plainError
                + "; nor through the hybrid cgroup wrapper: " + wrappedError);
        return Optional.empty();
    }

    /**
     * The cgroup2 mount of a hybrid host (cgroup v1 hierarchies mounted too) if it has
     * controllers — what makes crun refuse.
     */
    static Optional<Path> hybridCgroup2() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("/proc/self/mountinfo"));
        boolean v1 = lines.stream().anyMatch(l -> l.contains(" - cgroup "));
        for (String line : lines) {
            String[] f = line.split(" ");
            if (v1 && line.contains(" - cgroup2 ")) {
                Path mount = Path.of(f[4]);
                Path controllers = mount.resolve("cgroup.controllers");
                if (Files.isReadable(controllers) && !Files.readString(controllers).isBlank()) {
                    return Optional.of(mount);
                }
            }
        }
        return Optional.empty();
    }

    private static Path writeWrapper(Path crun, Path cgroup2, Path stateDirectory) throws IOException {
        Files.createDirectories(stateDirectory);
        Path wrapper = stateDirectory.resolve("crun-hybrid");
        String script = "#!/bin/sh\n"
                + "# Written by the unicon linux launcher: crun 1.8 refuses hybrid cgroup hosts whose cgroup2\n"
                + "# mount has controllers. Covering cgroup2 with an empty tmpfs in a private mount namespace\n"
                + "# (this process only) makes crun see pure cgroup v1. The host's mounts are not changed.\n"
                + "# (Unmounting it instead would let crun create its cgroup directories in the tmpfs that\n"
                + "# the host's cgroup2 mount hides, where nothing ever removes them.)\n"
                + "exec unshare -m --propagation private /bin/sh -c 'mount -t tmpfs -o size=1m,mode=755 unicon-no-cgroup2 \"$1\" || exit 125; shift; exec \"$0\" \"$@\"' "
                + quote(crun.toString()) + " " + quote(cgroup2.toString()) + " \"$@\"\n";
        Path tmp = stateDirectory.resolve("crun-hybrid.tmp");
        Files.writeString(tmp, script, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.move(tmp, wrapper, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return wrapper;
    }

    /** Runs {@code /bin/true} in a throw-away container; null if it worked, else the error. */
    private static String probeContainer(RuntimeCli runtime, Path stateDirectory)
            throws IOException, InterruptedException {
        String id = "unicon-runtime-probe-" + ProcessHandle.current().pid();
        Path bundle = stateDirectory.resolve("probe-" + runtime.name());
        Path rootfs = bundle.resolve("rootfs");
        Files.createDirectories(rootfs);
        try {
            ObjectNode spec = JSON.createObjectNode();
            spec.put("ociVersion", "1.0.2");
            ObjectNode process = spec.putObject("process");
            process.putArray("args").add("/bin/true");
            process.putArray("env").add("PATH=" + OciSpec.DEFAULT_PATH);
            process.put("cwd", "/");
            process.putObject("user").put("uid", 0).put("gid", 0);
            spec.putObject("root").put("path", rootfs.toRealPath().toString());
            ArrayNode mounts = spec.putArray("mounts");
            mounts.addObject().put("destination", "/proc").put("type", "proc").put("source", "proc");
            mounts.addObject().put("destination", "/dev").put("type", "tmpfs").put("source", "tmpfs")
                    .putArray("options").add("nosuid").add("mode=755");
            for (String dir : List.of("usr", "bin", "sbin", "lib", "lib32", "lib64")) {
                Path host = Path.of("/", dir);
                Files.deleteIfExists(rootfs.resolve(dir));
                if (Files.isSymbolicLink(host)) {
                    Files.createSymbolicLink(rootfs.resolve(dir), Files.readSymbolicLink(host));
                } else if (Files.isDirectory(host)) {
                    ObjectNode m = mounts.addObject();
                    m.put("destination", "/" + dir).put("type", "bind").put("source", host.toString());
                    m.putArray("options").add("rbind").add("ro");
                }
            }
            ObjectNode linux = spec.putObject("linux");
            linux.putArray("namespaces").add(JSON.createObjectNode().put("type", "mount"))
                    .add(JSON.createObjectNode().put("type", "pid"));
            linux.put("cgroupsPath", "/" + id);
            JSON.writeValue(bundle.resolve("config.json").toFile(), spec);
            List<String> argv = new java.util.ArrayList<>(runtime.prefix());
            argv.addAll(List.of("run", "--bundle", bundle.toString(), id));
            RuntimeCli.Result r = RuntimeCli.run(argv, PROBE_TIMEOUT);
            return r.ok() ? null : r.error();
        } finally {
            // An interrupted probe (the agent stopping while the launcher activates) still cleans
            // up: the interrupt is held back until the runtime's state and cgroups are gone.
            boolean interrupted = Thread.interrupted();
            try {
                runtime.delete(id);
                CgroupDirectories.remove(id, "/" + id, 100);
            } catch (IOException e) {
                LOG.log(Level.WARNING, "runtime probe: cannot clean up after " + runtime.executable() + ": "
                        + e.getMessage());
            } catch (InterruptedException e) {
                interrupted = true;
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            deleteTree(bundle);
        }
    }

    /** The runtime binary: {@code path} if given, else {@code name} found in the host's PATH. */
    static Optional<Path> binary(String name, String path) {
        if (!path.isBlank()) {
            Path p = Path.of(path.strip());
            return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        for (String dir : RuntimeCli.HOST_PATH.split(":")) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
