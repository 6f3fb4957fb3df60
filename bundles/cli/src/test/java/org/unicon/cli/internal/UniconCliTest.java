package org.unicon.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The CLI as a user runs it, for everything that needs no agent (the system tests cover the rest). */
class UniconCliTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Map<String, String> env, String... args) {
        return UniconCli.run(args, env,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** A loopback port nobody listens on: bound, then closed again. */
    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void helpListsEveryCommandIncludingThoseOfTheScript() {
        assertEquals(0, run(Map.of(), "--help"));
        for (String command : new String[] {"agent", "demo", "execute", "ps", "wait", "kill", "remove", "plugins", "update", "stats"}) {
            assertTrue(out().contains("\n  " + command + " "), command + " missing in:\n" + out());
        }
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : new String[] {"agent", "demo", "execute", "ps", "wait", "kill", "remove", "plugins", "update", "stats"}) {
            out.reset();
            assertEquals(0, run(Map.of(), command, "--help"), command);
            assertTrue(out().contains("Usage: unicon " + command), out());
        }
    }

    @Test
    void noAgentSaysSoAndHowToStartOne() throws Exception {
        int port = closedPort();
        assertEquals(2, run(Map.of(), "ps", "--agent", "127.0.0.1:" + port));
        assertTrue(err().contains("no Unicon agent at 127.0.0.1:" + port + " — start one with `bin/unicon agent`"),
                err());

        err.reset();
        assertEquals(2, run(Map.of("UNICON_AGENT", "127.0.0.1:" + port), "execute", "--command=true"));
        assertTrue(err().contains("no Unicon agent at 127.0.0.1:" + port), err());
    }

    @Test
    void aContainerHasOneImage() {
        assertEquals(2, run(Map.of(), "execute", "--docker_image=busybox", "--appc_image=example.com/app"));
        assertTrue(err().contains("--docker_image and --appc_image cannot both be given"), err());
    }

    @Test
    void imageFlagsBecomeAMesosContainerInfo() {
        ExecuteCommand execute = new ExecuteCommand();
        execute.name = "c2";
        execute.resources = "cpus:0.1";
        execute.shell = true;
        execute.dockerImage = "library/busybox:latest";
        var launch = execute.launchRequest();
        assertEquals(org.unicon.model.ContainerInfo.Type.MESOS, launch.getContainer().getType());
        assertEquals("library/busybox:latest", launch.getContainer().getMesos().getImage().getDocker().getName());
        assertEquals(false, launch.getCommand().getShell(), "no --command: the image's entrypoint runs");
        assertEquals(false, launch.getCommand().hasValue());

        execute.dockerImage = null;
        execute.appcImage = "example.com/app,version=1.0.0";
        execute.command = "echo hi";
        launch = execute.launchRequest();
        var appc = launch.getContainer().getMesos().getImage().getAppc();
        assertEquals("example.com/app", appc.getName());
        assertEquals(java.util.List.of("version=1.0.0", "os=linux", "arch=amd64"), appc.getLabels().getLabelsList()
                .stream().map(l -> l.getKey() + "=" + l.getValue()).toList());
        assertEquals("echo hi", launch.getCommand().getValue());
    }

    @Test
    void usageErrorsExitWith2AndSayWhatIsWrong() throws Exception {
        String agent = "--agent=127.0.0.1:" + closedPort();
        assertEquals(2, run(Map.of(), "execute", agent, "--resources=cpus:0.5;mem", "--command=true"));
        assertTrue(err().contains("--resources: 'mem' is not name:value"), err());

        err.reset();
        assertEquals(2, run(Map.of(), "execute", agent));
        assertTrue(err().contains("--command is required"), err());

        err.reset();
        assertEquals(2, run(Map.of(), "kill", agent, "c1", "--signal=NOPE"));
        assertTrue(err().contains("unknown signal 'NOPE'"), err());

        err.reset();
        assertEquals(2, run(Map.of(), "frobnicate"));
        assertTrue(err().contains("unicon: Unmatched argument") && err().contains("Try 'unicon --help'"), err());

        err.reset();
        assertEquals(2, run(Map.of(), "agent"));
        assertTrue(err().contains("use `bin/unicon agent`"), err());
    }

    @Test
    void executeBuildsTheLaunchAsMesosExecuteDoes() {
        ExecuteCommand execute = new ExecuteCommand();
        execute.command = "/bin/echo hello  world";
        execute.shell = false;
        execute.name = "c1";
        execute.resources = "cpus:0.5;mem:64";
        execute.env = "{\"A\":\"b\"}";
        var launch = execute.launchRequest();
        assertEquals("c1", launch.getContainerId().getValue());
        assertEquals("/bin/echo", launch.getCommand().getValue());
        assertEquals(java.util.List.of("/bin/echo", "hello", "world"), launch.getCommand().getArgumentsList());
        assertEquals(false, launch.getCommand().getShell());
        assertEquals("A", launch.getCommand().getEnvironment().getVariables(0).getName());
        assertEquals(2, launch.getResourcesCount());

        execute.shell = true;
        execute.name = null;
        execute.command = "echo hello; exit 3";
        launch = execute.launchRequest();
        assertEquals("echo hello; exit 3", launch.getCommand().getValue());
        assertTrue(launch.getCommand().getShell());
        assertEquals(36, launch.getContainerId().getValue().length(), "a generated UUID");
    }

    @Test
    void networksAndPortMappingsBecomeTheContainersNetworkInfos() {
        ExecuteCommand execute = new ExecuteCommand();
        execute.name = "www";
        execute.resources = "cpus:0.1";
        execute.shell = true;
        execute.command = "httpd -f -p 80";
        execute.networks = "web";
        execute.portMappings = "[{\"host_port\":0,\"container_port\":80}]";
        var launch = execute.launchRequest();
        assertEquals(org.unicon.model.ContainerInfo.Type.MESOS, launch.getContainer().getType());
        assertEquals("web", launch.getContainer().getNetworkInfos(0).getName());
        assertEquals(80, launch.getContainer().getNetworkInfos(0).getPortMappings(0).getContainerPort());
        assertTrue(launch.getContainer().getNetworkInfos(0).getPortMappings(0).hasHostPort());
    }
}
