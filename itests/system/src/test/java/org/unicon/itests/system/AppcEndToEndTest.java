package org.unicon.itests.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * appc images run through the assembled agent and the linux launcher (real runc or crun under
 * conmon): ACIs built with actool, found by simple discovery below a file:// prefix, an image
 * whose rootfs only adds to the busybox ACI it depends on, and the manifest's app (exec,
 * environment, working directory) applied by appc/runtime.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AppcEndToEndTest {
    private static final String HELLO = "--appc_image=example.com/hello,version=1.0.0";

    private Path dir;
    private Path acis;
    private Agent agent;
    private Cli cli;

    @BeforeAll
    void startAgent() throws Exception {
        dir = Files.createTempDirectory("unicon-appc-");
        acis = Files.createDirectories(dir.resolve("acis"));
        AciImages.build(acis, "example.com/busybox", "1.35.0", AciImages.manifest("example.com/busybox", "1.35.0",
                "\"app\":{\"exec\":[\"/bin/sh\"],\"user\":\"0\",\"group\":\"0\"}"), true, Map.of());
        AciImages.build(acis, "example.com/hello", "1.0.0", AciImages.manifest("example.com/hello", "1.0.0",
                "\"app\":{\"exec\":[\"/bin/sh\",\"-c\",\"echo exec from the manifest; pwd; echo GREETING=$GREETING;"
                        + " cat marker\"],\"user\":\"0\",\"group\":\"0\",\"workingDirectory\":\"/srv/app\","
                        + "\"environment\":[{\"name\":\"GREETING\",\"value\":\"hello from the manifest\"}]},"
                        + "\"dependencies\":[{\"imageName\":\"example.com/busybox\",\"labels\":"
                        + "[{\"name\":\"version\",\"value\":\"1.35.0\"}]}]"),
                false, Map.of("srv/app/marker", "marker of the hello ACI"));
        agent = Agent.start(dir, "image_providers = APPC\nlauncher = linux\n"
                        + "isolation = filesystem/linux,appc/runtime,namespaces/pid,namespaces/ipc\n",
                Map.of("unicon.store.appc.cfg", "appc_simple_discovery_uri_prefix = " + acis.toUri()
                        + "\nappc_store_dir = " + dir.resolve("store") + "\n"));
        cli = new Cli(agent.address(), Files.createDirectories(dir.resolve("cli")));
    }

    @AfterAll
    void stopAndCheckNothingIsLeft() throws Exception {
        Leftovers.stopAndCheck(agent, dir);
    }

    @Test
    void theManifestsExecRunsInItsWorkingDirectoryWithItsEnvironmentOnTheDependency() throws Exception {
        Cli.Result result = cli.run("execute", HELLO, "--shell=false");
        assertEquals(0, result.exitCode(), result::toString);
        assertEquals(List.of("exec from the manifest", "/srv/app", "GREETING=hello from the manifest",
                "marker of the hello ACI"), result.out().lines().toList(), result::toString);
    }

    @Test
    void aCommandReplacesExecButKeepsTheManifestsDirectoryAndTheCommandsEnvironmentWins() throws Exception {
        Cli.Result result = cli.run("execute", HELLO, "--env={\"GREETING\":\"from the command\"}",
                "--command=pwd; echo $GREETING; echo pid $$; test -x /bin/busybox && echo busybox from the dependency");
        assertEquals(0, result.exitCode(), result::toString);
        assertEquals(List.of("/srv/app", "from the command", "pid 1", "busybox from the dependency"),
                result.out().lines().toList(), result::toString);
    }

    @Test
    void pullAndImagesShowTheImageAndItsDependency() throws Exception {
        Cli.Result pulled = cli.run("pull", HELLO);
        assertEquals(0, pulled.exitCode(), pulled::toString);
        assertTrue(pulled.out().contains("pulled example.com/hello,version=1.0.0,os=linux,arch=amd64 (sha512-"),
                pulled::toString);
        assertTrue(pulled.out().contains("2 layers"), pulled::toString);

        Cli.Result listed = cli.run("images");
        assertEquals(0, listed.exitCode(), listed::toString);
        for (String name : List.of("example.com/hello,version=1.0.0", "example.com/busybox,version=1.35.0")) {
            assertTrue(listed.out().lines().anyMatch(l -> l.startsWith("appc") && l.contains(name)), listed::toString);
        }
    }

    @Test
    void anImageThatIsNotThereIsNamedWithTheUriDiscoveryGave() throws Exception {
        Cli.Result result = cli.run("execute", "--appc_image=example.com/nothere,version=2", "--command=true");
        assertEquals(1, result.exitCode(), result::toString);
        assertTrue(result.err().contains("not found at " + acis.toUri() + "example.com/nothere-2-linux-amd64.aci"),
                result::toString);
    }
}
