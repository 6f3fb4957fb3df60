package org.unicon.itests.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Docker images run isolated through the assembled agent, configured as the shipped runtime is:
 * the linux launcher (real runc or crun under conmon), filesystem/linux, docker/runtime and the
 * pid and ipc namespaces, the busybox image from the project's own archive directory.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LinuxContainersEndToEndTest {
    private Path dir;
    private Agent agent;
    private Cli cli;

    @BeforeAll
    void startAgent() throws Exception {
        dir = Files.createTempDirectory("unicon-linux-");
        agent = Agent.startWithBusybox(dir);
        cli = new Cli(agent.address(), Files.createDirectories(dir.resolve("cli")));
    }

    @AfterAll
    void stopAndCheckNothingIsLeft() throws Exception {
        Leftovers.stopAndCheck(agent, dir);
    }

    @Test
    void theCommandRunsAsPid1InTheImagesTreeAndItsExitCodeComesBack() throws Exception {
        Cli.Result result = cli.run("execute", "--docker_image=busybox",
                "--command=echo pid $$; ls /; test -e " + dir + " && echo host-visible; pwd; exit 3");
        assertEquals(3, result.exitCode(), result::toString);
        List<String> lines = result.out().lines().toList();
        assertEquals("pid 1", lines.get(0), result::toString);
        assertTrue(lines.containsAll(List.of("bin", "etc", "proc", "dev", "mnt")), result::toString);
        assertFalse(lines.contains("host-visible"), "the host's paths are not in the container: " + result);
        assertEquals("/mnt/mesos/sandbox", lines.get(lines.size() - 1), "the image has no WorkingDir: the sandbox");
    }

    @Test
    void withoutACommandTheImagesCmdRuns() throws Exception {
        Cli.Result result = cli.run("execute", "--docker_image=busybox", "--shell=false");
        assertEquals(0, result.exitCode(), result::toString);
    }

    @Test
    void aReadOnlyVolumeRefusesWritesAndAReadWriteOneKeepsThem() throws Exception {
        Path ro = Files.createDirectories(dir.resolve("ro"));
        Path rw = Files.createDirectories(dir.resolve("rw"));
        String volumes = "[{\"container_path\":\"/ro\",\"host_path\":\"" + ro + "\",\"mode\":\"RO\"},"
                + "{\"container_path\":\"/rw\",\"host_path\":\"" + rw + "\",\"mode\":\"RW\"}]";
        Cli.Result result = cli.run("execute", "--docker_image=busybox", "--volumes=" + volumes,
                "--command=touch /ro/x 2>/dev/null && echo ro-writable; echo kept > /rw/y");
        assertEquals(0, result.exitCode(), result::toString);
        assertFalse(result.out().contains("ro-writable"), result::toString);
        assertFalse(Files.exists(ro.resolve("x")));
        assertEquals("kept\n", Files.readString(rw.resolve("y")));
    }

    @Test
    void anImageVolumeShowsTheImageReadOnly() throws Exception {
        String volumes = "[{\"container_path\":\"/tools\",\"mode\":\"RO\",\"image\":{\"type\":\"DOCKER\","
                + "\"docker\":{\"name\":\"busybox\"}}}]";
        Cli.Result result = cli.run("execute", "--docker_image=busybox", "--volumes=" + volumes,
                "--command=test -x /tools/bin/busybox && echo tools-here; touch /tools/x 2>/dev/null || echo tools-read-only");
        assertEquals(0, result.exitCode(), result::toString);
        assertEquals(List.of("tools-here", "tools-read-only"), result.out().lines().toList(), result::toString);
    }

    @Test
    void aContainerThatRunsOutOfMemoryIsEndedWithTheReason() throws Exception {
        Cli.Result result = cli.run("execute", "--docker_image=busybox", "--resources=cpus:0.5;mem:32",
                "--command=dd if=/dev/zero bs=64M count=1 of=/dev/null; sleep 30");
        assertTrue(result.exitCode() != 0, result::toString);
        assertTrue(result.err().contains("memory limit exceeded: 32 MB"), result::toString);
    }

    @Test
    void raisingTheMemoryLimitOfARunningContainerLetsItsAllocationSucceed() throws Exception {
        Path shared = Files.createDirectories(dir.resolve("update"));
        String volumes = "[{\"container_path\":\"/shared\",\"host_path\":\"" + shared + "\",\"mode\":\"RW\"}]";
        assertEquals(0, cli.run("execute", "--name=grower", "--detach", "--docker_image=busybox",
                "--resources=cpus:0.5;mem:32", "--volumes=" + volumes,
                "--command=while [ ! -e /shared/go ]; do sleep 0.1; done; dd if=/dev/zero bs=64M count=1 of=/dev/null")
                .exitCode());

        Cli.Result bad = cli.run("update", "grower", "--resources=mem:-5");
        assertEquals(2, bad.exitCode(), bad::toString);
        assertTrue(bad.err().contains("'mem:-5' has '-5', but a scalar must be a finite number >= 0"), bad::toString);
        Cli.Result unknown = cli.run("update", "nobody", "--resources=mem:64");
        assertEquals(1, unknown.exitCode(), unknown::toString);
        assertTrue(unknown.err().contains("container 'nobody' is unknown"), unknown::toString);

        Cli.Result updated = cli.run("update", "grower", "--resources=cpus:0.5;mem:256");
        assertEquals(0, updated.exitCode(), updated::toString);
        Cli.Result stats = cli.run("stats", "grower");
        assertEquals(0, stats.exitCode(), stats::toString);
        List<String> row = List.of(stats.out().lines().toList().get(1).split("\\s{2,}"));
        assertEquals("grower", row.get(0), stats::toString);
        assertTrue(stats.out().contains("256.0 MiB"), "the new limit is in force: " + stats);

        Files.writeString(shared.resolve("go"), "");
        Cli.Result waited = cli.run("wait", "grower");
        assertEquals(0, waited.exitCode(), "64 MB fit under the raised limit: " + waited);
        assertEquals(0, cli.run("remove", "grower").exitCode());
    }

    @Test
    void aKilledContainerReportsTheSignal() throws Exception {
        assertEquals(0, cli.run("execute", "--name=sleeper", "--detach", "--docker_image=busybox",
                "--command=sleep 1000").exitCode());
        assertEquals(0, cli.run("kill", "sleeper").exitCode());
        Cli.Result waited = cli.run("wait", "sleeper");
        assertEquals(137, waited.exitCode(), waited::toString);
        assertTrue(waited.err().contains("killed by signal 9"), waited::toString);
        assertEquals(0, cli.run("remove", "sleeper").exitCode());
    }
}
