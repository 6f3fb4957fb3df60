package org.unicon.itests.framework;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;
import org.osgi.util.tracker.ServiceTracker;
import org.unicon.containerizer.Containerizer;
import org.unicon.isolator.ContainerContext;
import org.unicon.isolator.Isolator;
import org.unicon.model.CommandInfo;
import org.unicon.model.ContainerID;
import org.unicon.model.ContainerInfo;
import org.unicon.model.ContainerLaunchInfo;
import org.unicon.model.ContainerTermination;
import org.unicon.model.Image;
import org.unicon.model.TaskState;
import org.unicon.model.agent.Call;

/**
 * A Docker image run through the core in Felix with the real store, the overlay and copy
 * backends, filesystem/linux, docker/runtime and the linux launcher (runc or crun under conmon):
 * the root filesystem made of the image's layers is what an isolator sees during prepare and
 * what the command runs in, and once the container has ended nothing of it is mounted.
 */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
class ProvisioningInFrameworkTest {
    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 10_000)
    ConfigurationAdmin configurationAdmin;

    private final List<String> seen = Collections.synchronizedList(new ArrayList<>());
    private ServiceRegistration<Isolator> registration;
    private ServiceTracker<Containerizer, Containerizer> tracker;
    private Containerizer containerizer;
    private Configuration agent;
    private Configuration store;
    private Configuration launcher;
    private Path dir;

    @BeforeEach
    void setUp() throws Exception {
        dir = Files.createTempDirectory("unicon-provisioning");
        Path images = Files.createDirectories(dir.resolve("images"));
        Process build = new ProcessBuilder(repository().resolve("bin/lib/busybox-image").toString(), images.toString())
                .redirectErrorStream(true).start();
        String output = new String(build.getInputStream().readAllBytes());
        assertEquals(0, build.waitFor(), output);

        Dictionary<String, Object> storeProperties = new Hashtable<>();
        storeProperties.put("docker_registry", images.toString());
        storeProperties.put("docker_store_dir", dir.resolve("store").toString());
        store = configurationAdmin.getConfiguration("unicon.store.docker", "?");
        store.update(storeProperties);

        Dictionary<String, Object> isolator = new Hashtable<>();
        isolator.put(Isolator.NAME, "itest/rootfs");
        registration = context.registerService(Isolator.class, new Isolator() {
            @Override
            public Optional<ContainerLaunchInfo> prepare(ContainerContext container) {
                Path rootfs = container.rootfs().orElseThrow();
                seen.add("busybox " + Files.isRegularFile(rootfs.resolve("bin/busybox")));
                seen.add("cmd " + container.config().getImageConfig().getCmdList());
                seen.add("sandbox " + container.config().getSandboxDirectory());
                return Optional.empty();
            }
        }, isolator);
    }

    @AfterEach
    void tearDown() throws Exception {
        registration.unregister();
        if (containerizer != null) {
            for (var container : containerizer.containers()) {
                containerizer.remove(container.getContainerId());
            }
        }
        if (agent != null) {
            agent.delete();
            await(() -> tracker.getService() == null);
            tracker.close();
        }
        store.delete();
        if (launcher != null) {
            launcher.delete();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"overlay", "copy"})
    void anImageBecomesARootfsThatIsGoneAfterDestroy(String backend) throws Exception {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("work_dir", dir.resolve("work").toString());
        properties.put("runtime_dir", dir.resolve("run").toString());
        properties.put("isolation", "filesystem/linux,docker/runtime,itest/rootfs");
        properties.put("launcher", "linux");
        properties.put("image_providers", "DOCKER");
        properties.put("provisioner_image_backend", backend);
        launcher = configurationAdmin.getConfiguration("unicon.launcher.linux", "?");
        launcher.update(new Hashtable<>(java.util.Map.of("cgroups_root", "unicon-itest")));
        agent = configurationAdmin.getConfiguration("unicon.agent", "?");
        agent.update(properties);
        tracker = new ServiceTracker<>(context, Containerizer.class, null);
        tracker.open();
        containerizer = tracker.waitForService(20_000);
        assertNotNull(containerizer, "the containerizer registers once it is configured");
        await(() -> containerizer.plugins().stream().anyMatch(p -> p.getName().equals("DOCKER")));

        Call.LaunchContainer launch = Call.LaunchContainer.newBuilder()
                .setContainerId(ContainerID.newBuilder().setValue("img"))
                .setCommand(CommandInfo.newBuilder().setValue("test -x /bin/busybox && echo hello from busybox"))
                .setContainer(ContainerInfo.newBuilder().setType(ContainerInfo.Type.MESOS)
                        .setMesos(ContainerInfo.MesosInfo.newBuilder().setImage(Image.newBuilder()
                                .setType(Image.Type.DOCKER).setDocker(Image.Docker.newBuilder().setName("busybox")))))
                .build();
        await(() -> containerizer.plugins().stream().filter(p -> p.getStatus() == org.unicon.model.PluginInfo.Status.IN_USE)
                .map(p -> p.getName()).toList().containsAll(List.of("linux", "filesystem/linux", "docker/runtime")));
        containerizer.launch(launch);

        assertEquals(List.of("busybox true", "cmd [sh]", "sandbox /mnt/mesos/sandbox"), seen);
        ContainerTermination termination = containerizer.wait(ContainerID.newBuilder().setValue("img").build())
                .orElseThrow().toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertEquals(TaskState.TASK_FINISHED, termination.getState(), termination.toString());
        assertEquals("hello from busybox\n", Files.readString(dir.resolve("work/containers/img/stdout")));
        String mounts = Files.readString(Path.of("/proc/self/mountinfo"));
        assertFalse(mounts.contains(dir.toString()), "nothing of the container is mounted:\n" + mounts);
        assertFalse(Files.exists(dir.resolve("work/provisioner/containers/img")), "the rootfs is gone");
    }

    /** The repository root, found from where the tester runs (inside this module's target/). */
    private static Path repository() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("bin/lib/busybox-image"))) {
                return p;
            }
        }
        throw new AssertionError("cannot find the repository (bin/lib/busybox-image) above " + Path.of("").toAbsolutePath());
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 20 s");
            }
            Thread.sleep(50);
        }
    }
}
