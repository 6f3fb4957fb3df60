package org.unicon.launcher.linux.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Properties;

/**
 * The runtime {@link RuntimeChoice} found by probing, remembered in
 * {@code <state dir>/runtime-choice.properties} so that a restarted agent (recovery) does not run
 * the probe containers again — they cost a few hundred milliseconds of its start, during which
 * its containers cannot be controlled. The record holds only while everything the probe depended
 * on is the same: the setting, the version of the hybrid wrapper's text, the boot (the state
 * directory lives in the runtime directory, so a reboot normally clears it anyway), the runc and
 * crun binaries (path, size, modification time) and the cgroup2 mount that makes crun refuse a
 * hybrid host. Anything else probes again.
 */
final class RuntimeChoiceRecord {

    static final String FILE = "runtime-choice.properties";

    private RuntimeChoiceRecord() {
    }

    /** What the choice depends on, as one string. */
    static String key(String mode, String runtimePath, String cgroupsRoot) throws IOException {
        StringBuilder key = new StringBuilder();
        key.append("wrapper=").append(RuntimeChoice.WRAPPER_VERSION)
                .append(";mode=").append(mode.strip()).append(";runtime_path=").append(runtimePath.strip())
                .append(";cgroups_root=").append(cgroupsRoot).append(";boot=").append(bootId());
        for (String name : new String[] {"runc", "crun"}) {
            Optional<Path> bin = RuntimeChoice.binary(name, name.equals("runc") ? runtimePath : "");
            key.append(';').append(name).append('=');
            if (bin.isPresent()) {
                Path real = bin.get().toRealPath();
                key.append(real).append(',').append(Files.size(real)).append(',')
                        .append(Files.getLastModifiedTime(real).toMillis());
            }
        }
        Optional<Path> cgroup2 = RuntimeChoice.hybridCgroup2();
        key.append(";hybrid_cgroup2=").append(cgroup2.map(Path::toString).orElse(""));
        if (cgroup2.isPresent()) {
            key.append(',').append(Files.readString(cgroup2.get().resolve("cgroup.controllers")).strip());
        }
        return key.toString();
    }

    /** The remembered runtime, if one was recorded for {@code key} and its executables are still there. */
    static Optional<RuntimeCli> read(Path stateDirectory, String key) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(stateDirectory.resolve(FILE))) {
            p.load(in);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // not a properties file (any more): probe again and rewrite it
        }
        if (!key.equals(p.getProperty("key")) || p.getProperty("name") == null || p.getProperty("executable") == null
                || p.getProperty("root") == null || p.getProperty("control") == null) {
            return Optional.empty();
        }
        RuntimeCli runtime = new RuntimeCli(p.getProperty("name"), Path.of(p.getProperty("executable")),
                Path.of(p.getProperty("root")), Path.of(p.getProperty("control")));
        if (!Files.isExecutable(runtime.executable()) || !Files.isExecutable(runtime.control())) {
            return Optional.empty();
        }
        return Optional.of(runtime);
    }

    /** Remembers {@code runtime} as the choice for {@code key} (atomically; the last writer wins). */
    static void write(Path stateDirectory, String key, RuntimeCli runtime) throws IOException {
        Properties p = new Properties();
        p.setProperty("key", key);
        p.setProperty("name", runtime.name());
        p.setProperty("executable", runtime.executable().toString());
        p.setProperty("root", runtime.root().toString());
        p.setProperty("control", runtime.control().toString());
        Files.createDirectories(stateDirectory);
        Path tmp = Files.createTempFile(stateDirectory, FILE, ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            p.store(out, "Written by the unicon linux launcher: the OCI runtime its probe chose; deleting it makes"
                    + " the next start probe again");
        }
        Files.move(tmp, stateDirectory.resolve(FILE), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    private static String bootId() throws IOException {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/random/boot_id"), StandardCharsets.US_ASCII).strip();
        } catch (NoSuchFileException e) {
            return "";
        }
    }
}
