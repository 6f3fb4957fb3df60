package org.unicon.itests.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Agent restarts lose nothing: real agents killed with SIGKILL (by the test, or by themselves at
 * a crash point named in UNICON_CRASH_POINT) and restarted on the same directories, with real
 * runc/crun under conmon, overlay mounts and cgroups. After every test the agent is stopped and
 * nothing of it may be left: no mount, process, cgroup, runtime state or staging directory.
 */
class RecoveryEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SHARED = "/shared";

    private Path dir;
    private Agent agent;
    private final List<String> launched = new ArrayList<>();

    @BeforeEach
    void createDirectory() throws IOException {
        dir = Files.createTempDirectory("unicon-recovery-");
        Files.createDirectories(dir.resolve("shared"));
    }

    @AfterEach
    void stopAndCheckNothingIsLeft() throws Exception {
        if (agent != null && !agent.alive() && Files.isDirectory(dir.resolve("run"))) {
            // The test failed with its agent dead (killed, or crashed at a point): an agent
            // recovering the same state takes the containers back, so that closing it destroys them.
            agent = Agent.startWithBusybox(dir);
        }
        Leftovers.stopAndCheck(agent, dir, () -> {
            assertEquals(List.of(), cgroupsOf(launched), "cgroups left");
            assertEquals(List.of(), entries(dir.resolve("run/containers")), "runtime state left");
            assertEquals(List.of(), entries(dir.resolve("work/provisioner/containers")), "root filesystems left");
            assertEquals(List.of(), entries(dir.resolve("store/staging")), "staging directories left");
            try (Stream<Path> roots = list(dir.resolve("run/launcher-linux"))) {
                // Each OCI runtime root holds a directory per container; probe-* is the launcher's probe bundle.
                for (Path root : roots.filter(Files::isDirectory)
                        .filter(p -> !p.getFileName().toString().startsWith("probe-")).toList()) {
                    assertEquals(List.of(), entries(root), "OCI runtime state left in " + root);
                }
            }
        });
    }

    @Test
    void runningContainersAreReattachedAndThoseThatEndedMeanwhileReportTheirCodes() throws Exception {
        agent = Agent.startWithBusybox(dir);
        for (int i = 0; i < 20; i++) {
            launch(String.format("running-%02d", i), "sleep 1000");
        }
        for (int code = 11; code <= 15; code++) {
            launch("ending-" + code, "while [ ! -e " + SHARED + "/go ]; do sleep 0.1; done; exit " + code);
        }
        assertEquals(25, count(states(), "RUNNING"));

        agent.kill9();
        Files.writeString(dir.resolve("shared/go"), "");
        awaitNoProcessRunning(SHARED + "/go");
        agent = Agent.startWithBusybox(dir);

        Map<String, String> states = states();
        for (int i = 0; i < 20; i++) {
            assertEquals("RUNNING", states.get(String.format("running-%02d", i)), states::toString);
        }
        for (int code = 11; code <= 15; code++) {
            JsonNode waited = waitFor("ending-" + code);
            assertEquals(code << 8, waited.path("exit_status").asInt(), "ending-" + code + ": " + waited);
        }
        for (int i = 0; i < 20; i++) {
            String id = String.format("running-%02d", i);
            assertEquals(200, call("KILL_CONTAINER", "kill_container", id).statusCode());
            assertEquals(9, waitFor(id).path("exit_status").asInt(), id + " was killed by SIGKILL");
        }
    }

    @Test
    void aStoppedAgentLeavesItsContainersRunningUnlessAskedToStopThem() throws Exception {
        agent = Agent.startWithBusybox(dir);
        launch("outlives", "sleep 1000");
        agent.stop();
        assertEquals(List.of("outlives"), cgroupsOf(List.of("outlives")).stream()
                .map(p -> p.getFileName().toString()).distinct().toList(), "the container runs on");

        agent = Agent.startWithBusybox(dir, "stop_containers_on_shutdown = true\n", Map.of());
        assertEquals("RUNNING", states().get("outlives"));
        agent.stop();
        assertEquals(List.of(), cgroupsOf(List.of("outlives")), "the agent destroyed it as it stopped");

        agent = Agent.startWithBusybox(dir);
        JsonNode stopped = waitFor("outlives");
        assertEquals("TASK_FAILED", stopped.path("state").asText(), stopped::toString);
        assertEquals("the agent stopped and was asked to stop its containers", stopped.path("message").asText());
    }

    @ParameterizedTest(name = "crash {0}")
    @ValueSource(strings = {"after-provision", "after-prepare", "after-create", "before-start"})
    void aCrashWhileLaunchingDestroysThatContainerWithAReasonAndKeepsTheOthers(String point) throws Exception {
        agent = Agent.startWithBusybox(dir);
        launch("survivor", "sleep 1000");
        agent.kill9();

        agent = Agent.startWithBusybox(dir, "", Map.of("UNICON_CRASH_POINT", point));
        launched.add("victim");
        try {
            call("LAUNCH_CONTAINER", "launch_container", "victim", "sleep 1000");
        } catch (IOException expected) {
            // the agent died answering
        }
        assertEquals(137, agent.awaitExit(), "the agent killed itself with SIGKILL at " + point);
        String log = agent.log();
        assertTrue(log.contains("crash point " + point + " reached"), log);

        agent = Agent.startWithBusybox(dir);
        JsonNode victim = waitFor("victim");
        assertEquals("TASK_FAILED", victim.path("state").asText(), victim::toString);
        assertEquals("REASON_CONTAINER_LAUNCH_FAILED", victim.path("reason").asText(), victim::toString);
        assertTrue(victim.path("message").asText().startsWith("the agent stopped while the container was launching"),
                victim::toString);
        assertFalse(Files.exists(dir.resolve("work/provisioner/containers/victim")), "the victim's rootfs is gone");
        assertEquals(List.of(), cgroupsOf(List.of("victim")), "the victim's cgroups are gone");
        assertEquals("RUNNING", states().get("survivor"), "the other container runs on");
        assertEquals(200, call("KILL_CONTAINER", "kill_container", "survivor").statusCode());
        assertEquals(9, waitFor("survivor").path("exit_status").asInt());
    }

    @Test
    void aCrashInTheMiddleOfADestroyIsFinishedWithTheSameCauseAfterTheRestart() throws Exception {
        agent = Agent.startWithBusybox(dir, "", Map.of("UNICON_CRASH_POINT", "mid-destroy"));
        launch("doomed", "sleep 1000");
        try {
            call("KILL_CONTAINER", "kill_container", "doomed");
        } catch (IOException expected) {
            // the agent may die before it answers
        }
        assertEquals(137, agent.awaitExit(), "the agent killed itself with SIGKILL in the destroy");

        agent = Agent.startWithBusybox(dir);
        JsonNode doomed = waitFor("doomed");
        assertEquals("TASK_KILLED", doomed.path("state").asText(), doomed::toString);
        assertTrue(doomed.path("message").asText().startsWith("killed"), doomed::toString);
        assertEquals(List.of(), cgroupsOf(List.of("doomed")), "the isolators cleaned up after the restart");
        assertFalse(Files.exists(dir.resolve("work/provisioner/containers/doomed")), "the rootfs is gone");
    }

    @Test
    void aPullInterruptedByACrashLeavesNoPartialLayerAndTheNextPullSucceeds() throws Exception {
        agent = Agent.startWithBusybox(dir, "", Map.of("UNICON_CRASH_POINT", "mid-pull:100000"));
        try {
            agent.post("application/json", "{\"type\":\"PULL_IMAGE\",\"pull_image\":{\"image\":"
                    + "{\"type\":\"DOCKER\",\"docker\":{\"name\":\"busybox\"}}}}");
        } catch (IOException expected) {
            // the agent died answering
        }
        assertEquals(137, agent.awaitExit(), "the agent killed itself with SIGKILL in the pull");
        assertFalse(entries(dir.resolve("store/staging")).isEmpty(), "the crash left a staging directory");
        assertEquals(List.of(), entries(dir.resolve("store/layers")), "no partial layer is in the store");

        agent = Agent.startWithBusybox(dir);
        HttpResponse<String> pulled = agent.post("application/json", "{\"type\":\"PULL_IMAGE\",\"pull_image\":"
                + "{\"image\":{\"type\":\"DOCKER\",\"docker\":{\"name\":\"busybox\"}}}}");
        assertEquals(200, pulled.statusCode(), pulled::body);
        assertEquals(List.of(), entries(dir.resolve("store/staging")), "the store dropped the partial pull");
        assertEquals(1, entries(dir.resolve("store/layers")).size(), "busybox's one layer");
        launch("after-pull", "exit 4");
        assertEquals(4 << 8, waitFor("after-pull").path("exit_status").asInt());
    }

    @Test
    void afterARebootRunningContainersAreReportedLostAndCleanedUp() throws Exception {
        Path bootId = Files.writeString(dir.resolve("boot_id"), "boot-1\n");
        String settings = "boot_id_file = " + bootId + "\n";
        agent = Agent.startWithBusybox(dir, settings, Map.of());
        launch("before-reboot", "sleep 1000");
        launch("finished", "exit 3");
        assertEquals(3 << 8, waitFor("finished").path("exit_status").asInt());
        agent.kill9();

        Files.writeString(bootId, "boot-2\n");
        agent = Agent.startWithBusybox(dir, settings, Map.of());
        JsonNode lost = waitFor("before-reboot");
        assertEquals("TASK_LOST", lost.path("state").asText(), lost::toString);
        assertTrue(lost.path("message").asText().contains("the machine rebooted while the agent was down"),
                lost::toString);
        assertEquals(3 << 8, waitFor("finished").path("exit_status").asInt(), "what ended before stays as it was");
        assertEquals(List.of(), cgroupsOf(List.of("before-reboot")));
    }

    @Test
    void afterARebootThatClearedTheRuntimeDirectoryTheContainersAreListedAsLost() throws Exception {
        Path bootId = Files.writeString(dir.resolve("boot_id"), "boot-1\n");
        String settings = "boot_id_file = " + bootId + "\n";
        agent = Agent.startWithBusybox(dir, settings, Map.of());
        launch("was-running", "sleep 1000");
        agent.kill9();

        // What a reboot does: every process ends, mounts and cgroups vanish, tmpfs is emptied.
        List<Path> cgroups = cgroupsOf(List.of("was-running"));
        for (Path cgroup : cgroups) {
            for (String pid : Files.readAllLines(cgroup.resolve("cgroup.procs"))) {
                ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
        for (String line : Processes.mentioning(dir)) {
            ProcessHandle.of(Long.parseLong(line.substring(0, line.indexOf(' ')))).ifPresent(ProcessHandle::destroyForcibly);
        }
        awaitNoProcessRunning(dir.toString());
        for (Path mount : mountsUnder(dir)) {
            assertEquals(0, new ProcessBuilder("umount", mount.toString()).inheritIO().start().waitFor());
        }
        for (Path cgroup : cgroups) {
            for (Path gone : List.of(cgroup, cgroup.getParent())) { // the container's, then the agent's root
                for (int i = 0; i < 200 && Files.exists(gone); i++) {
                    try {
                        Files.delete(gone);
                    } catch (IOException stillEmptying) {
                        Thread.sleep(50);
                    }
                }
            }
        }
        Agent.deleteTree(dir.resolve("run"));
        Files.writeString(bootId, "boot-2\n");

        agent = Agent.startWithBusybox(dir, settings, Map.of());
        JsonNode lost = waitFor("was-running");
        assertEquals("TASK_LOST", lost.path("state").asText(), lost::toString);
        assertTrue(lost.path("message").asText().contains("rebooted"), lost::toString);
        assertFalse(Files.exists(dir.resolve("work/provisioner/containers/was-running")), "its rootfs is deleted");
    }

    // --- the agent's API ------------------------------------------------------------------------

    private void launch(String id, String command) throws Exception {
        launched.add(id);
        HttpResponse<String> response = call("LAUNCH_CONTAINER", "launch_container", id, command);
        assertEquals(200, response.statusCode(), () -> id + ": " + response.body());
    }

    private HttpResponse<String> call(String type, String field, String id) throws Exception {
        return agent.post("application/json", "{\"type\":\"" + type + "\",\"" + field + "\":{\"container_id\":"
                + "{\"value\":\"" + id + "\"}}}");
    }

    private HttpResponse<String> call(String type, String field, String id, String command) throws Exception {
        String volume = "{\"container_path\":\"" + SHARED + "\",\"host_path\":\"" + dir.resolve("shared")
                + "\",\"mode\":\"RW\"}";
        return agent.post("application/json", "{\"type\":\"" + type + "\",\"" + field + "\":{\"container_id\":"
                + "{\"value\":\"" + id + "\"},\"command\":{\"value\":" + JSON.writeValueAsString(command) + "},"
                + "\"resources\":[{\"name\":\"mem\",\"type\":\"SCALAR\",\"scalar\":{\"value\":64}}],"
                + "\"container\":{\"type\":\"MESOS\",\"mesos\":{\"image\":{\"type\":\"DOCKER\",\"docker\":"
                + "{\"name\":\"busybox\"}}},\"volumes\":[" + volume + "]}}}");
    }

    /** WAIT_CONTAINER's answer: exit_status, state, reason, message. */
    private JsonNode waitFor(String id) throws Exception {
        HttpResponse<String> response = call("WAIT_CONTAINER", "wait_container", id);
        assertEquals(200, response.statusCode(), () -> id + ": " + response.body());
        return JSON.readTree(response.body()).path("wait_container");
    }

    private Map<String, String> states() throws Exception {
        HttpResponse<String> response = agent.post("application/json",
                "{\"type\":\"GET_CONTAINERS\",\"get_containers\":{\"show_standalone\":true}}");
        Map<String, String> states = new TreeMap<>();
        for (JsonNode c : JSON.readTree(response.body()).path("get_containers").path("containers")) {
            states.put(c.path("container_id").path("value").asText(), c.path("state").asText());
        }
        return states;
    }

    private static long count(Map<String, String> states, String state) {
        return states.values().stream().filter(state::equals).count();
    }

    // --- the host ------------------------------------------------------------------------------

    /** The cgroups named by these container IDs under the containers' root, in any hierarchy. */
    private List<Path> cgroupsOf(List<String> ids) throws IOException {
        List<Path> found = new ArrayList<>();
        try (Stream<Path> hierarchies = list(Path.of("/sys/fs/cgroup"))) {
            for (Path hierarchy : hierarchies.toList()) {
                for (String id : ids) {
                    Path cgroup = hierarchy.resolve(Agent.cgroupsRoot(dir)).resolve(id);
                    if (Files.isDirectory(cgroup)) {
                        found.add(cgroup);
                    }
                }
            }
        }
        return found;
    }

    private static List<Path> mountsUnder(Path dir) throws IOException {
        List<Path> mounts = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            Path point = Path.of(line.split(" ")[4]);
            if (point.startsWith(dir)) {
                mounts.add(point);
            }
        }
        mounts.sort((a, b) -> b.getNameCount() - a.getNameCount());
        return mounts;
    }

    private static void awaitNoProcessRunning(String mentioning) throws Exception {
        for (int i = 0; i < 600; i++) {
            if (Processes.mentioning(Path.of(mentioning)).stream().noneMatch(p -> p.contains(mentioning))) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("processes still running: " + Processes.mentioning(Path.of(mentioning)));
    }

    private static List<String> entries(Path dir) throws IOException {
        try (Stream<Path> files = list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static Stream<Path> list(Path dir) throws IOException {
        return Files.isDirectory(dir) ? Files.list(dir) : Stream.empty();
    }
}
