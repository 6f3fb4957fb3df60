package org.unicon.launcher.linux.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.unicon.launcher.Launcher;
import org.unicon.model.CommandInfo;
import org.unicon.model.ContainerLaunchInfo;
import org.unicon.model.Environment;
import org.unicon.testkit.launcher.LauncherConformance;
import org.unicon.testkit.launcher.TestLaunchRequest;
import org.unicon.testkit.launcher.TestLaunchedContainer;

/**
 * The linux launcher against a real OCI runtime and conmon, one subclass per runtime: the
 * launcher conformance suite, and what is particular to OCI containers (the image's tree, pid
 * namespace, mounts, users, hostname). Containers get what filesystem/linux would give them: the
 * busybox rootfs, /proc, a /dev tmpfs and the sandbox at {@value LinuxFixture#SANDBOX}. After every
 * test: no mount under the test directory, no runtime state, no cgroup of a container.
 */
abstract class LinuxLauncherContract extends LauncherConformance {

    private static final String SANDBOX = LinuxFixture.SANDBOX;

    private Path rootfs;
    private RuntimeCli runtime;

    /** The runtime under test, with its root under {@code state}; tests are skipped if it cannot run here. */
    abstract RuntimeCli runtime(Path state) throws Exception;

    @Override
    protected Launcher createLauncher() throws Exception {
        if (runtime == null) {
            rootfs = BusyboxRootfs.build(temp.resolve("rootfs"));
            runtime = runtime(temp.resolve("run/launcher-linux"));
        }
        return new LinuxLauncher(runtime, RuntimeChoice.binary("conmon", "").orElseThrow(), LinuxFixture.CGROUPS_ROOT);
    }

    @Override
    protected ContainerLaunchInfo.Builder launchInfo(String id, CommandInfo command, Path sandbox) {
        return ContainerLaunchInfo.newBuilder().setCommand(command)
                .setRootfs(rootfs.toString()).setWorkingDirectory(SANDBOX)
                .setEnvironment(Environment.newBuilder().addVariables(Environment.Variable.newBuilder()
                        .setName("MESOS_SANDBOX").setValue(SANDBOX)))
                .addMounts(LinuxFixture.proc()).addMounts(LinuxFixture.dev())
                .addMounts(LinuxFixture.bind(sandbox, SANDBOX, false));
    }

    @Override
    protected void assertNothingLeft() throws Exception {
        assertEquals(List.of(), LinuxFixture.mountsUnder(temp), "mounts left under the test directory");
        assertEquals(List.of(), runtime.list(), "containers left in the runtime's state");
        assertEquals(List.of(), LinuxFixture.entries(runtime.root()), "entries left in the runtime's root " + runtime.root());
        for (String id : ids()) {
            assertEquals(List.of(), LinuxFixture.cgroupsNamed(id), "cgroups left for container " + id);
        }
        assertEquals(List.of(), CgroupDirectories.existing("/" + LinuxFixture.CGROUPS_ROOT),
                "the cgroups root is removed with the last container");
    }

    @AfterAll
    static void removeTheTestCgroupRoot() throws IOException {
        for (Path h : CgroupDirectories.hierarchies()) {
            try {
                Files.deleteIfExists(h.resolve(LinuxFixture.CGROUPS_ROOT));
            } catch (IOException e) {
                // another test class still uses it
            }
        }
    }

    private TestLaunchRequest request(String label, CommandInfo command, int... namespaces) throws Exception {
        String id = newId(label);
        ContainerLaunchInfo.Builder info = info(id, command);
        for (int ns : namespaces) {
            info.addCloneNamespaces(ns);
        }
        return request(id, info);
    }

    @Test
    void theCommandIsPid1OfItsPidNamespace() throws Exception {
        TestLaunchRequest request = request("pid", shell("echo $$"), OciSpec.CLONE_NEWPID);

        assertEquals(0, run(request));
        assertEquals("1\n", read(request.stdout()));
    }

    @Test
    void rootIsTheImageTree() throws Exception {
        Files.writeString(rootfs.resolve("image-marker"), "from the image");
        TestLaunchRequest request = request("root", shell("ls /; cat /image-marker; echo;"
                + " test -e " + temp + " && echo host-visible; test -e /usr/bin/java && echo host-java; true"));

        assertEquals(0, run(request));
        String out = read(request.stdout());
        assertEquals(List.of("bin", "dev", "etc", "image-marker", "mnt", "proc", "tmp", "from the image"),
                out.lines().toList(), out);
    }

    @Test
    void aCreatedContainerIsHeldByTheRuntimeBeforeItsCommand() throws Exception {
        TestLaunchRequest request = request("created", shell("touch started"));

        long pid = create(request);

        assertEquals("created", runtime.state(request.containerId().getValue()).orElseThrow().status());
        assertFalse(Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).contains("touch"),
                "the init is already the command");
    }

    @Test
    void readOnlyVolumesRefuseWritesAndReadWriteOnesAcceptThem() throws Exception {
        Path ro = Files.createDirectories(temp.resolve("ro"));
        Path rw = Files.createDirectories(temp.resolve("rw"));
        String id = newId("vol");
        TestLaunchRequest request = request(id, info(id, shell("echo x > /ro/f; echo ro=$?; echo y > /rw/f; echo rw=$?"))
                .addMounts(LinuxFixture.bind(ro, "/ro", true)).addMounts(LinuxFixture.bind(rw, "/rw", false)));

        assertEquals(0, run(request));
        assertEquals("ro=1\nrw=0\n", read(request.stdout()), read(request.stderr()));
        assertFalse(Files.exists(ro.resolve("f")));
        assertEquals("y\n", Files.readString(rw.resolve("f")));
    }

    @Test
    void runsAsTheImagesUser() throws Exception {
        String id = newId("user");
        TestLaunchRequest request = request(id, info(id, shell("id -u; id -g")).setUser("nobody"));

        assertEquals(0, run(request));
        assertEquals("65534\n65534\n", read(request.stdout()));
    }

    @Test
    void acceptsNumericIds() throws Exception {
        String id = newId("numeric");
        TestLaunchRequest request = request(id, info(id, shell("id -u; id -g")).setUser("1234:5678"));

        assertEquals(0, run(request));
        assertEquals("1234\n5678\n", read(request.stdout()));
    }

    @Test
    void anUnknownUserIsAClearErrorAndLeavesNothing() throws Exception {
        String id = newId("nouser");
        TestLaunchRequest request = request(id, info(id, shell("true")).setUser("ghost"));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> create(request));
        assertTrue(e.getMessage().contains("user 'ghost'") && e.getMessage().contains("/etc/passwd"), e.getMessage());
    }

    @Test
    void aCommandThatCannotRunIsAClearErrorAndLeavesNothing() throws Exception {
        TestLaunchRequest request = request("noexec", CommandInfo.newBuilder().setShell(false)
                .setValue("/no/such/binary").build());

        Exception e = assertThrows(Exception.class, () -> {
            create(request);
            launcher.start(request.containerId());
        });
        assertTrue(e.getMessage().contains("/no/such/binary"), e.getMessage());
    }

    @Test
    void theHostnameComesFromTheLaunchInfoWhenUtsIsAsked() throws Exception {
        String id = newId("uts");
        TestLaunchRequest request = request(id, info(id, shell("hostname")).addCloneNamespaces(OciSpec.CLONE_NEWUTS)
                .setHostname("box-1"));

        assertEquals(0, run(request));
        assertEquals("box-1\n", read(request.stdout()));
    }

    @Test
    void aRecoveredContainerReportsItsInitAsExecutorPid() throws Exception {
        TestLaunchRequest request = request("status", shell("exec sleep 1000"));
        long pid = create(request);
        launcher.start(request.containerId());

        restart(List.of(TestLaunchedContainer.of(request, pid)));

        assertEquals(pid, launcher.status(request.containerId()).getExecutorPid());
    }
}
