package org.unicon.itests.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A vendor's isolator made usable in a running agent the way the README tells operators to:
 * examples/isolator-vendor is built as its vendor builds it (Maven, offline, against the API and
 * testkit this build installed; its own tests run), its jar is dropped into the agent's deploy
 * directory, and {@code vendor/audit} is added to {@code isolation} in the agent's
 * unicon.agent.cfg. The same agent process, never restarted, then audits a new container's
 * lifecycle into its sandbox, leaves the container that was already running alone, and lists
 * the isolator with its bundle and version.
 */
class VendorIsolatorEndToEndTest {

    private static final String EXAMPLE = "examples/isolator-vendor";
    private static final String JAR = "com.example.unicon.audit-1.0.0.jar";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Path dir;
    private Agent agent;
    private Cli cli;

    @BeforeEach
    void startAgent() throws Exception {
        dir = Files.createTempDirectory("unicon-vendor-");
        agent = Agent.startWithBusybox(dir);
        cli = new Cli(agent.address(), Files.createDirectories(dir.resolve("cli")));
    }

    @AfterEach
    void stopAndCheckNothingIsLeft() throws Exception {
        Leftovers.stopAndCheck(agent, dir);
    }

    @Test
    void aVendorIsolatorDroppedIntoDeployAndAddedToIsolationAuditsNewContainersWithoutARestart() throws Exception {
        Path jar = buildTheExample();
        long agentPid = agent.pid();
        assertEquals(0, cli.run("execute", "--name=before", "--detach", "--docker_image=busybox",
                "--command=sleep 1000").exitCode());

        Path staged = Files.copy(jar, dir.resolve(JAR), StandardCopyOption.REPLACE_EXISTING);
        Files.move(staged, Files.createDirectories(dir.resolve("deploy")).resolve(JAR), StandardCopyOption.ATOMIC_MOVE);
        awaitPlugin("registered from the deploy directory", line -> line.contains(" available "));
        editIsolation(",vendor/audit");
        String listed = awaitPlugin("in use once isolation names it", line -> line.contains(" in use "));
        assertTrue(Pattern.matches("isolator\\s+vendor/audit\\s+in use\\s+com\\.example\\.unicon\\.audit 1\\.0\\.0\\s+-\\s+-",
                listed.strip()), "plugins shows name, state, bundle and version, no requirement, no problem: " + listed);

        assertEquals(0, cli.run("execute", "--name=audited", "--detach", "--docker_image=busybox",
                "--command=echo hello; sleep 1000").exitCode());

        // The vendor ships 1.0.1: the operator replaces the jar in the deploy directory, FileInstall
        // updates the bundle in place, and the new version recovers the running container.
        Path upgraded = withVersion(jar, "1.0.1", dir.resolve(JAR + ".next"));
        Files.move(upgraded, dir.resolve("deploy").resolve(JAR), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
        awaitPlugin("upgraded to 1.0.1", line -> line.contains(" in use ") && line.contains(" 1.0.1 "));
        Cli.Result running = cli.run("ps");
        assertTrue(running.out().lines().anyMatch(l -> l.startsWith("audited ") && l.contains(" RUNNING ")),
                "the audited container runs through the upgrade: " + running);

        Cli.Result updated = cli.run("update", "audited", "--resources=cpus:0.5;mem:64");
        assertEquals(0, updated.exitCode(), updated::toString);
        assertEquals(0, cli.run("kill", "audited").exitCode());
        assertEquals(137, cli.run("wait", "audited").exitCode());

        List<String> audit = readFile("audited", "audit.log").lines().toList();
        assertEquals(5, audit.size(), "prepare, isolate (1.0.0), recover, update, cleanup (1.0.1): " + audit);
        assertTrue(audit.get(0).matches("\\S+ prepare container=audited image=docker:busybox"), audit::toString);
        assertTrue(audit.get(1).matches("\\S+ isolate container=audited pid=[1-9][0-9]*"), audit::toString);
        assertTrue(audit.get(2).matches("\\S+ recover container=audited state_version=1\\.0\\.0"), audit::toString);
        assertTrue(audit.get(3).matches("\\S+ update container=audited resources=.*")
                && audit.get(3).contains("cpus:0.5") && audit.get(3).contains("mem:64"), audit::toString);
        assertTrue(audit.get(4).matches("\\S+ cleanup container=audited"), audit::toString);
        assertEquals(String.join("\n", audit) + "\n",
                Files.readString(dir.resolve("work/containers/audited/audit.log")), "the API reads the sandbox's file");
        assertFalse(Files.exists(dir.resolve("work/containers/before/audit.log")),
                "the container that ran before vendor/audit was configured is not audited");
        Cli.Result ps = cli.run("ps");
        assertTrue(ps.out().lines().anyMatch(l -> l.startsWith("before ") && l.contains(" RUNNING ")), ps::toString);
        assertTrue(agent.alive() && agent.pid() == agentPid, "the agent was not restarted");
    }

    /** A copy of the bundle {@code jar} whose manifest says {@code version}: the vendor's next release. */
    private static Path withVersion(Path jar, String version, Path copy) throws Exception {
        try (java.util.jar.JarInputStream in = new java.util.jar.JarInputStream(Files.newInputStream(jar))) {
            java.util.jar.Manifest manifest = new java.util.jar.Manifest(in.getManifest());
            manifest.getMainAttributes().putValue("Bundle-Version", version);
            try (java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(Files.newOutputStream(copy),
                    manifest)) {
                for (java.util.jar.JarEntry entry; (entry = in.getNextJarEntry()) != null; ) {
                    out.putNextEntry(new java.util.jar.JarEntry(entry.getName()));
                    in.transferTo(out);
                    out.closeEntry();
                }
            }
        }
        return copy;
    }

    /** Builds the example as its vendor would; its own tests (the conformance suite) run too. */
    private Path buildTheExample() throws Exception {
        Path root = Repository.root();
        String home = System.getProperty("unicon.maven.home", "");
        Path mvn = home.isEmpty() ? Path.of("mvn") : Path.of(home, "bin", "mvn");
        List<String> command = new ArrayList<>(List.of(mvn.toString(), "-B", "-o", "-q", "-f",
                root.resolve(EXAMPLE).resolve("pom.xml").toString(), "clean", "package"));
        String repository = System.getProperty("unicon.maven.repo", "");
        if (!repository.isEmpty()) {
            command.add("-Dmaven.repo.local=" + repository);
        }
        File log = dir.resolve("vendor-build.log").toFile();
        Process build = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(log).start();
        if (!build.waitFor(600, TimeUnit.SECONDS)) {
            build.destroyForcibly().waitFor();
            throw new AssertionError(String.join(" ", command) + " did not end within 600 s");
        }
        assertEquals(0, build.exitValue(), () -> String.join(" ", command) + " failed:\n" + read(log.toPath()));
        Path jar = root.resolve(EXAMPLE).resolve("target").resolve(JAR);
        assertTrue(Files.isRegularFile(jar), "the example's build made no " + jar);
        return jar;
    }

    /** Adds {@code suffix} to the isolation line of the agent's unicon.agent.cfg (FileInstall applies it live). */
    private void editIsolation(String suffix) throws Exception {
        Path cfg = dir.resolve("etc/unicon.agent.cfg");
        String edited = Files.readString(cfg).replaceFirst("(?m)^(isolation = .*)$", "$1" + suffix);
        assertTrue(edited.contains(suffix), "no isolation line in " + cfg);
        Path next = Files.writeString(dir.resolve("etc/unicon.agent.cfg.next"), edited);
        Files.move(next, cfg, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Polls {@code unicon plugins} until vendor/audit's line satisfies {@code state}; returns that line. */
    private String awaitPlugin(String what, Predicate<String> state) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        Cli.Result plugins;
        do {
            plugins = cli.run("plugins");
            assertEquals(0, plugins.exitCode(), plugins::toString);
            for (String line : plugins.out().lines().toList()) {
                if (line.contains(" vendor/audit ") && state.test(line)) {
                    return line;
                }
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("vendor/audit was never " + what + "; plugins:\n" + plugins + "\nagent log:\n" + agent.log());
    }

    private String readFile(String container, String file) throws Exception {
        var response = agent.post("application/json", "{\"type\":\"READ_FILE\",\"read_file\":{\"path\":\"/containers/"
                + container + "/" + file + "\",\"offset\":0}}");
        assertEquals(200, response.statusCode(), response::body);
        JsonNode data = JSON.readTree(response.body()).path("read_file").path("data");
        return new String(Base64.getDecoder().decode(data.asText()), StandardCharsets.UTF_8);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "(no output: " + e + ")";
        }
    }
}
