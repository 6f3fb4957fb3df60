package org.unicon.testkit.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a leftover check cannot see from the host: cgroup directories in the filesystem that a
 * hybrid host's cgroup2 mount covers (cgroup v1 hierarchies and cgroup2 both mounted), where a
 * runtime that does not see cgroup2 would create a container's cgroups, out of reach of every
 * cleanup.
 */
public final class HiddenCgroups {

    private HiddenCgroups() {
    }

    /**
     * Which of {@code relative} paths exist beneath the cgroup2 mount, as absolute paths; looked
     * at in a private mount namespace with cgroup2 unmounted. None on a host that is not hybrid.
     *
     * @throws IOException if that namespace cannot be made or cgroup2 not unmounted in it
     */
    public static List<String> beneathCgroup2(String... relative) throws IOException {
        List<String> mounts = Files.readAllLines(Path.of("/proc/self/mountinfo"));
        Optional<String> cgroup2 = mounts.stream().filter(l -> l.contains(" - cgroup2 "))
                .map(l -> l.split(" ")[4]).findFirst();
        if (cgroup2.isEmpty() || mounts.stream().noneMatch(l -> l.contains(" - cgroup "))) {
            return List.of();
        }
        List<String> command = new ArrayList<>(List.of("unshare", "-m", "--propagation", "private", "/bin/sh", "-c",
                "umount \"$0\" && cd \"$0\" || exit 1; for p; do [ ! -e \"$p\" ] || echo \"$0/$p\"; done",
                cgroup2.get()));
        command.addAll(List.of(relative));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (p.waitFor() != 0) {
                throw new IOException("cannot look beneath " + cgroup2.get() + ": " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while looking beneath " + cgroup2.get(), e);
        }
        return out.lines().toList();
    }
}
