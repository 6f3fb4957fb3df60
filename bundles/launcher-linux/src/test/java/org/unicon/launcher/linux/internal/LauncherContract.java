package org.unicon.launcher.linux.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.unicon.model.ContainerID;

/**
 * The linux launcher against a real OCI runtime and conmon; each runtime runs it in a subclass.
 * A second launcher instance stands for the agent after a restart: the first one is closed
 * (which, like the agent's death, leaves the containers running) and the second recovers them.
 */
abstract class LauncherContract extends LinuxFixture {

    @Test
    void theCommandIsPid1AndItsOutputLandsInTheSandboxFiles() throws Exception {
        String id = newId("pid");
        Request request = request(id, info(id, shell("echo $$; echo to-stderr >&2"), OciSpec.CLONE_NEWPID).build());

        assertEquals(0, run(request));
        assertEquals("1\n", read(request.stdout()));
        assertEquals("to-stderr\n", read(request.stderr()));
    }

    @Test
    void rootIsTheImageTree() throws Exception {
        String id = newId("root");
        Files.writeString(rootfs.resolve("image-marker"), "from the image");
        Request request = request(id, info(id, shell("ls /; cat /image-marker; echo;"
                + " test -e " + tmp + " && echo host-visible; test -e /usr/bin/java && echo host-java; true")).build());

        assertEquals(0, run(request));
        String out = read(request.stdout());
        assertEquals(List.of("bin", "dev", "etc", "image-marker", "mnt", "proc", "tmp", "from the image"),
                out.lines().toList(), out);
    }

    @Test
    void exitCodesAreRawWaitStatuses() throws Exception {
        String id = newId("exit");
        assertEquals(3 << 8, run(request(id, info(id, shell("exit 3")).build())));
    }

    @Test
    void sigtermIsDeliveredAndReportedAsTheSignal() throws Exception {
        // Without a pid namespace: as pid 1 of its own namespace, sleep would ignore SIGTERM
        // (the kernel drops signals pid 1 has no handler for), as in Docker without --init.
        String id = newId("term");
        Request request = request(id, info(id, shell("echo ready; exec sleep 1000")).build());
        create(request);
        launcher.start(request.containerId());
        awaitOutput(request.stdout(), "ready");

        launcher.kill(request.containerId(), 15);

        assertEquals(15, awaitExit(request.containerId()));
    }

    @Test
    void sigkillIsReportedAsTheSignal() throws Exception {
        String id = newId("kill");
        Request request = request(id, info(id, shell("echo ready; exec sleep 1000"), OciSpec.CLONE_NEWPID).build());
        create(request);
        launcher.start(request.containerId());
        awaitOutput(request.stdout(), "ready");

        launcher.kill(request.containerId(), 9);

        assertEquals(9, awaitExit(request.containerId()));
        launcher.kill(request.containerId(), 9); // a container that has ended takes signals quietly
    }

    @Test
    void theCommandRunsOnlyAfterStart() throws Exception {
        String id = newId("paused");
        Request request = request(id, info(id, shell("touch " + SANDBOX + "/started")).build());
        Path started = request.sandbox().resolve("started");

        long pid = create(request);

        // Created means paused before exec: the init is still the runtime's, not our command.
        assertEquals("created", runtime.state(id).orElseThrow().status());
        assertFalse(Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).contains("touch"));
        assertFalse(Files.exists(started), "the command ran before start");

        launcher.start(request.containerId());
        assertEquals(0, awaitExit(request.containerId()));
        assertTrue(Files.exists(started));
    }

    @Test
    void destroyBeforeStartNeverRunsTheCommand() throws Exception {
        String id = newId("early");
        Request request = request(id, info(id, shell("touch " + SANDBOX + "/started")).build());
        create(request);
        CompletableFuture<Integer> exit = launcher.exit(request.containerId()).toCompletableFuture();

        launcher.destroy(request.containerId());

        assertEquals(9, exit.get(GUARD.toSeconds(), TimeUnit.SECONDS));
        assertFalse(Files.exists(request.sandbox().resolve("started")), "the command ran");
        assertThrows(Exception.class, () -> launcher.exit(request.containerId()).toCompletableFuture().join());
        launcher.destroy(request.containerId()); // idempotent
    }

    @Test
    void destroyKillsEveryProcessOfARunningContainer() throws Exception {
        String id = newId("tree");
        Request request = request(id, info(id, shell("sleep 1000 & sleep 1000 & echo ready; wait")).build());
        create(request);
        launcher.start(request.containerId());
        awaitOutput(request.stdout(), "ready");

        launcher.destroy(request.containerId()); // the leftover checks run after the test
    }

    @Test
    void readOnlyVolumesRefuseWritesAndReadWriteOnesAcceptThem() throws Exception {
        String id = newId("vol");
        Path ro = Files.createDirectories(tmp.resolve("ro"));
        Path rw = Files.createDirectories(tmp.resolve("rw"));
        Request request = request(id, info(id, shell("echo x > /ro/f; echo ro=$?; echo y > /rw/f; echo rw=$?"))
                .addMounts(bind(ro, "/ro", true)).addMounts(bind(rw, "/rw", false)).build());

        assertEquals(0, run(request));
        assertEquals("ro=1\nrw=0\n", read(request.stdout()), read(request.stderr()));
        assertFalse(Files.exists(ro.resolve("f")));
        assertEquals("y\n", Files.readString(rw.resolve("f")));
    }

    @Test
    void runsAsTheImagesUser() throws Exception {
        String id = newId("user");
        Request request = request(id, info(id, shell("id -u; id -g")).setUser("nobody").build());

        assertEquals(0, run(request));
        assertEquals("65534\n65534\n", read(request.stdout()));
    }

    @Test
    void acceptsNumericIds() throws Exception {
        String id = newId("numeric");
        Request request = request(id, info(id, shell("id -u; id -g")).setUser("1234:5678").build());

        assertEquals(0, run(request));
        assertEquals("1234\n5678\n", read(request.stdout()));
    }

    @Test
    void anUnknownUserIsAClearErrorAndLeavesNothing() throws Exception {
        String id = newId("nouser");
        Request request = request(id, info(id, shell("true")).setUser("ghost").build());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> launcher.create(request));
        assertTrue(e.getMessage().contains("user 'ghost'") && e.getMessage().contains("/etc/passwd"), e.getMessage());
    }

    @Test
    void aCommandThatCannotRunIsAClearErrorAndLeavesNothing() throws Exception {
        String id = newId("noexec");
        Request request = request(id, info(id, org.unicon.model.CommandInfo.newBuilder().setShell(false)
                .setValue("/no/such/binary").build()).build());

        Exception e = assertThrows(Exception.class, () -> {
            launcher.create(request);
            created.add(request.containerId());
            launcher.start(request.containerId());
        });
        assertTrue(e.getMessage().contains("/no/such/binary"), e.getMessage());
    }

    @Test
    void theHostnameComesFromTheLaunchInfoWhenUtsIsAsked() throws Exception {
        String id = newId("uts");
        Request request = request(id, info(id, shell("hostname"), OciSpec.CLONE_NEWUTS).setHostname("box-1").build());

        assertEquals(0, run(request));
        assertEquals("box-1\n", read(request.stdout()));
    }

    @Test
    void aRecoveredContainerCanBeSignalledAndReportsItsStatus() throws Exception {
        String id = newId("rec");
        Request request = request(id, info(id, shell("echo ready; exec sleep 1000")).build());
        long pid = create(request);
        launcher.start(request.containerId());
        awaitOutput(request.stdout(), "ready");

        restartAgent(List.of(launched(request, pid)), Set.of());
        assertEquals(pid, launcher.status(request.containerId()).getExecutorPid());
        launcher.kill(request.containerId(), 15);

        assertEquals(15, awaitExit(request.containerId()));
    }

    @Test
    void aContainerThatEndedWhileTheAgentWasDownReportsItsStatusAndKeptItsOutput() throws Exception {
        String id = newId("down");
        Request request = request(id, info(id, shell("while [ ! -e go ]; do sleep 0.05; done; echo written-while-down;"
                + " exit 7")).build());
        long pid = create(request);
        launcher.start(request.containerId());
        launcher.close();

        Files.createFile(request.sandbox().resolve("go"));
        Path exitFile = request.directory().resolve(Conmon.EXITS).resolve(id);
        await("conmon's exit file", () -> Files.exists(exitFile));
        restartAgent(List.of(launched(request, pid)), Set.of());

        assertEquals(7 << 8, awaitExit(request.containerId()));
        assertEquals("written-while-down\n", read(request.stdout()));
    }

    @Test
    void containersTheCoreDoesNotKnowAreOrphansAndCanBeDestroyed() throws Exception {
        String known = newId("known");
        String orphan = newId("orphan");
        Request a = request(known, info(known, shell("exec sleep 1000")).build());
        Request b = request(orphan, info(orphan, shell("exec sleep 1000")).build());
        long pid = create(a);
        create(b); // created, never started
        launcher.start(a.containerId());

        restartAgent(List.of(launched(a, pid)), Set.of(b.containerId()));

        launcher.destroy(b.containerId());
        assertEquals(List.of(known), runtime.list().stream().map(RuntimeCli.State::id).toList());
    }

    private Launched launched(Request request, long pid) {
        return new Launched(request.containerId(), OptionalLong.of(pid), request.directory());
    }

    private void restartAgent(List<Launched> launched, Set<ContainerID> expectedOrphans) throws Exception {
        launcher.close();
        launcher = newLauncherInstance();
        assertEquals(expectedOrphans, launcher.recover(List.copyOf(launched)));
    }
}
