package org.unicon.itests.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The assembled agent, end to end, as a user drives it: {@code bin/unicon agent} with its own
 * temporary configuration and state on a free loopback port, then {@code bin/unicon} commands
 * and raw HTTP. The last test stops the agent with SIGTERM and checks that no process of the
 * test is left. Start time and memory are printed, never asserted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AgentEndToEndTest {

    private Path dir;
    private Agent agent;
    private Cli cli;

    @BeforeAll
    void startAgent() throws Exception {
        dir = Files.createTempDirectory("unicon-system-");
        agent = Agent.start(dir);
        cli = new Cli(agent.address(), Files.createDirectories(dir.resolve("cli")));
        System.out.printf("[measure] agent cold start (bin/unicon agent to first healthy GET_HEALTH): %d ms%n",
                agent.coldStartMillis());
        System.out.printf("[measure] agent RSS when first healthy: %.1f MiB%n", Processes.rssKiB(agent.pid()) / 1024.0);
    }

    @AfterAll
    void stopAgentAndDeleteEverything() throws Exception {
        if (agent != null) {
            agent.close();
        }
        Agent.deleteTree(dir);
    }

    @Test
    @Order(1)
    void executePrintsTheOutputAndExitsWithTheContainersCode() throws Exception {
        Cli.Result result = cli.run("execute", "--command=echo hello; exit 3");
        assertEquals(3, result.exitCode(), result::toString);
        assertEquals("hello\n", result.out(), result::toString);
        assertEquals("", result.err(), result::toString);

        Cli.Result ps = cli.run("ps", "--quiet");
        assertEquals(0, ps.exitCode(), ps::toString);
        assertEquals("", ps.out(), "execute removes the container once it has ended\n" + ps);
    }

    @Test
    @Order(2)
    void executeStreamsStderrAndPassesTheEnvironment() throws Exception {
        Cli.Result result = cli.run("execute", "--name=env-check", "--resources=cpus:0.5;mem:64",
                "--env={\"GREETING\":\"hi there\"}", "--command=echo \"$GREETING\"; echo oops >&2");
        assertEquals(0, result.exitCode(), result::toString);
        assertEquals("hi there\n", result.out(), result::toString);
        assertEquals("oops\n", result.err(), result::toString);
    }

    @Test
    @Order(3)
    void aDetachedContainerKilledWithSigtermReportsTheSignal() throws Exception {
        Cli.Result launched = cli.run("execute", "--detach", "--name=sleeper", "--command=sleep 1000");
        assertEquals(0, launched.exitCode(), launched::toString);
        assertEquals("sleeper\n", launched.out(), launched::toString);

        Cli.Result running = cli.run("ps");
        assertTrue(running.out().lines().anyMatch(l -> l.startsWith("sleeper ") && l.contains("RUNNING")),
                running::toString);

        Cli.Result kill = cli.run("kill", "sleeper", "--signal", "TERM");
        assertEquals(0, kill.exitCode(), kill::toString);

        Cli.Result waited = cli.run("wait", "sleeper");
        assertEquals(143, waited.exitCode(), waited::toString);
        assertTrue(waited.err().contains("container sleeper was killed by signal 15 (SIGTERM)"), waited::toString);

        Cli.Result terminated = cli.run("ps");
        assertTrue(terminated.out().lines().anyMatch(l -> l.startsWith("sleeper ") && l.contains("TERMINATED")
                && l.contains("SIGTERM")), terminated::toString);

        Cli.Result removed = cli.run("remove", "sleeper");
        assertEquals(0, removed.exitCode(), removed::toString);
        assertEquals("", cli.run("ps", "-q").out());
        assertFalse(Files.exists(dir.resolve("work/containers/sleeper")), "remove deletes the sandbox");
    }

    @Test
    @Order(4)
    void malformedJsonGets400WithAReasonAndTheAgentKeepsServing() throws Exception {
        HttpResponse<String> response = agent.post("application/json", "{\"type\": \"LAUNCH_CONTAINER\", ");
        assertEquals(400, response.statusCode(), response::body);
        assertFalse(response.body().isBlank(), "a 400 says why");

        assertTrue(agent.healthy(), "the agent still answers after bad requests");
    }

    @Test
    @Order(5)
    void pluginsListsThePosixLauncher() throws Exception {
        Cli.Result plugins = cli.run("plugins");
        assertEquals(0, plugins.exitCode(), plugins::toString);
        assertTrue(plugins.out().lines().anyMatch(l -> l.startsWith("launcher ") && l.contains(" posix ")
                && l.contains("org.unicon.launcher.posix")), plugins::toString);
    }

    @Test
    @Order(6)
    void theAgentsReasonIsShownForARefusedCall() throws Exception {
        Cli.Result waited = cli.run("wait", "no-such-container");
        assertEquals(1, waited.exitCode(), waited::toString);
        assertTrue(waited.err().startsWith("unicon: ") && waited.err().contains("no-such-container"), waited::toString);

        Cli.Result badId = cli.run("execute", "--name=bad.id", "--command=true");
        assertEquals(1, badId.exitCode(), badId::toString);
        assertTrue(badId.err().contains("bad.id"), badId::toString);
    }

    @Test
    @Order(7)
    void withoutAnAgentTheCliSaysHowToStartOne() throws Exception {
        String nobody = "127.0.0.1:" + Agent.freePort();
        Cli.Result result = new Cli(nobody, dir.resolve("cli")).run("ps");
        assertEquals(2, result.exitCode(), result::toString);
        assertTrue(result.err().contains("no Unicon agent at " + nobody + " — start one with `bin/unicon agent`"),
                result::toString);
    }

    @Test
    @Order(8)
    void anImageTheAgentIsNotConfiguredForIsRefusedWithTheReason() throws Exception {
        Cli.Result result = cli.run("execute", "--docker_image=busybox", "--command=echo hi");
        assertEquals(1, result.exitCode(), result::toString);
        assertTrue(result.err().contains("image_providers does not include DOCKER"), result::toString);
    }

    @Test
    @Order(9)
    void anInterruptedExecuteKillsAndRemovesItsContainer() throws Exception {
        Cli.Running execute = cli.start("execute", "--name=foreground", "--command=echo started; sleep 1000");
        long deadline = System.currentTimeMillis() + 60_000;
        while (!cli.run("ps").out().contains("RUNNING")) {
            assertTrue(execute.process().isAlive() && System.currentTimeMillis() < deadline,
                    "the container never showed as RUNNING");
            Thread.sleep(50);
        }
        execute.process().destroy();    // SIGTERM, as Ctrl-C's SIGINT would
        Cli.Result result = execute.finish();
        assertEquals(143, result.exitCode(), result::toString);
        assertTrue(result.err().contains("interrupted: killed container foreground"), result::toString);
        assertEquals("", cli.run("ps", "-q").out(), "the interrupted container was removed");
    }

    @Test
    @Order(100)
    void theAgentStopsOnSigtermAndNoProcessOfOursIsLeft() throws Exception {
        assertEquals("", cli.run("ps", "-q").out(), "every container of the tests was removed");
        List<String> ours = Processes.mentioning(dir);
        assertEquals(1, ours.size(), () -> "only the agent should be running:\n" + String.join("\n", ours));
        assertTrue(ours.get(0).startsWith(agent.pid() + " "), () -> String.join("\n", ours));
        System.out.printf("[measure] agent RSS after the scenarios: %.1f MiB%n", Processes.rssKiB(agent.pid()) / 1024.0);

        int exit = agent.stop();
        assertFalse(agent.alive());
        // 143: the JVM ends on SIGTERM after running Felix's shutdown hook (framework stopped).
        assertEquals(143, exit, () -> "agent exit code; its log:\n" + log());
        List<String> left = Processes.mentioning(dir);
        assertEquals(List.of(), left, "processes left behind");
    }

    private String log() {
        try {
            return agent.log();
        } catch (IOException e) {
            return e.toString();
        }
    }
}
