package org.unicon.itests.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Docker images through the assembled agent: the store reads a directory of `docker save`
 * archives made by the project's own set-up script from Debian's busybox-static, as the shipped
 * configuration does; `bin/unicon pull` and `bin/unicon images` drive it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ImagesEndToEndTest {
    private Path dir;
    private Agent agent;
    private Cli cli;

    @BeforeAll
    void startAgent() throws Exception {
        dir = Files.createTempDirectory("unicon-images-");
        agent = Agent.startWithBusybox(dir);
        cli = new Cli(agent.address(), Files.createDirectories(dir.resolve("cli")));
    }

    @AfterAll
    void stop() throws Exception {
        if (agent != null) {
            agent.close();
        }
        Agent.deleteTree(dir);
    }

    @Test
    @Order(1)
    void pullStoresTheImageAndImagesListsIt() throws Exception {
        Cli.Result pulled = cli.run("pull", "--docker_image=busybox");
        assertEquals(0, pulled.exitCode(), pulled::toString);
        assertTrue(pulled.out().contains("pulled library/busybox:latest"), pulled::toString);
        assertTrue(pulled.out().contains("1 layers"), pulled::toString);

        Cli.Result listed = cli.run("images");
        assertEquals(0, listed.exitCode(), listed::toString);
        assertTrue(listed.out().lines().anyMatch(l -> l.startsWith("docker") && l.contains("library/busybox:latest")
                && l.contains("sha256:")), listed::toString);

        try (Stream<Path> layers = Files.list(dir.resolve("store/layers"))) {
            Path layer = layers.findFirst().orElseThrow();
            assertTrue(Files.isRegularFile(layer.resolve("bin/busybox")), "the layer is extracted in the store");
        }
    }

    @Test
    @Order(2)
    void pruneRemovesImagesNothingUsesButKeepsTheExcluded() throws Exception {
        assertEquals(0, cli.run("pull", "--docker_image=busybox").exitCode());
        Cli.Result kept = cli.run("prune", "--keep", "busybox");
        assertEquals(0, kept.exitCode(), kept::toString);
        assertTrue(cli.run("images").out().contains("library/busybox:latest"), "the excluded image stays");

        Cli.Result pruned = cli.run("prune");
        assertEquals(0, pruned.exitCode(), pruned::toString);
        assertFalse(cli.run("images").out().contains("busybox"), "nothing uses it: it is gone");
        try (Stream<Path> layers = Files.list(dir.resolve("store/layers"))) {
            assertEquals(0, layers.count(), "and so are its layers");
        }
    }

    @Test
    @Order(3)
    void aMissingImageIsAClearErrorNamingWhereItLooked() throws Exception {
        Cli.Result result = cli.run("pull", "--docker_image=nosuchimage:1.0");
        assertEquals(1, result.exitCode(), result::toString);
        assertTrue(result.err().contains("nosuchimage:1.0.tar"), result::toString);
    }
}
