package org.unicon.itests.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.unicon.testkit.launcher.HiddenCgroups;

/** What a test's agent must not leave on the machine once it is stopped. */
final class Leftovers {

    private Leftovers() {
    }

    /**
     * Stops the agent (destroying what containers it still has), then checks that nothing of it
     * is left: no mount under {@code dir}, no process mentioning it, no cgroup of the agent's
     * cgroups root in any hierarchy. {@code more} runs its own checks before {@code dir} is deleted,
     * which happens whatever the checks find.
     */
    static void stopAndCheck(Agent agent, Path dir, Check more) throws Exception {
        try {
            if (agent != null) {
                agent.close();
            }
            String mounts = Files.readString(Path.of("/proc/self/mountinfo"));
            assertFalse(mounts.contains(dir.toString()), "mounts left:\n" + mounts);
            assertEquals(List.of(), Processes.mentioning(dir), "processes left");
            try (Stream<Path> hierarchies = Files.list(Path.of("/sys/fs/cgroup"))) {
                List<Path> roots = hierarchies.map(h -> h.resolve(Agent.cgroupsRoot(dir))).filter(Files::isDirectory)
                        .toList();
                assertEquals(List.of(), roots, "the containers' cgroups root is removed with the last container");
            }
            assertEquals(List.of(), HiddenCgroups.beneathCgroup2(Agent.cgroupsRoot(dir)),
                    "cgroup directories left beneath the host's cgroup2 mount, out of every cleanup's sight");
            more.run();
        } finally {
            Agent.deleteTree(dir);
        }
    }

    static void stopAndCheck(Agent agent, Path dir) throws Exception {
        stopAndCheck(agent, dir, () -> { });
    }

    /** A test's own checks of what is left. */
    interface Check {
        void run() throws IOException;
    }
}
