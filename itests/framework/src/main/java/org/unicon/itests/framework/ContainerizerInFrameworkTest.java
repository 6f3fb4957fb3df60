package org.unicon.itests.framework;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
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
import org.unicon.containerizer.ContainerizerException;
import org.unicon.isolator.ContainerContext;
import org.unicon.isolator.Isolator;
import org.unicon.isolator.RecoveredContainer;
import org.unicon.model.CommandInfo;
import org.unicon.model.ContainerID;
import org.unicon.model.ContainerLaunchInfo;
import org.unicon.model.ContainerTermination;
import org.unicon.model.PluginInfo;
import org.unicon.model.TaskState;
import org.unicon.model.agent.Call;

/**
 * The core inside a real Felix framework with SCR and Config Admin, the real posix launcher, and
 * isolator services the tests register and unregister while the framework runs.
 */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
class ContainerizerInFrameworkTest {
    private static final String ISOLATION = "itest/second,itest/first";

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 10_000)
    ConfigurationAdmin configurationAdmin;

    /** The core requires its configuration: it exists only once the test has configured it. */
    private Containerizer containerizer;
    private ServiceTracker<Containerizer, Containerizer> tracker;

    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private final List<ServiceRegistration<Isolator>> registrations = new ArrayList<>();
    private Path dir;
    private Configuration agent;

    @BeforeEach
    void configure() throws Exception {
        dir = Files.createTempDirectory("unicon-itest");
        agent = configurationAdmin.getConfiguration("unicon.agent", "?");
        configure(ISOLATION, dir.resolve("work").toString());
        tracker = new ServiceTracker<>(context, Containerizer.class, null);
        tracker.open();
        containerizer = tracker.waitForService(20_000);
        assertTrue(containerizer != null, "the containerizer registers once it is configured");
        assertEquals(PluginInfo.Status.MISSING, plugin("itest/second").orElseThrow().getStatus());
    }

    @AfterEach
    void cleanUp() throws Exception {
        new ArrayList<>(registrations).forEach(ServiceRegistration::unregister);
        for (var container : containerizer.containers()) {
            containerizer.destroy(container.getContainerId()).orElseThrow().toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
            containerizer.remove(container.getContainerId());
        }
        agent.delete();
        await(() -> tracker.getService() == null);
        tracker.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void discoversIsolatorsRegisteredAtRunTimeAndCallsThemInGraphOrder() throws Exception {
        register("itest/second", "itest/first");
        register("itest/first");
        await(() -> plugin("itest/first").map(p -> p.getStatus() == PluginInfo.Status.IN_USE).orElse(false));

        ContainerTermination termination = run("c1", "echo hello from c1");

        assertEquals(0, termination.getStatus());
        assertEquals(TaskState.TASK_FINISHED, termination.getState());
        assertEquals("hello from c1\n", Files.readString(dir.resolve("work/containers/c1/stdout")));
        List<String> calls = List.copyOf(log);
        assertEquals(List.of("prepare itest/first c1", "prepare itest/second c1"), calls.subList(0, 2));
        assertTrue(calls.subList(2, 4).containsAll(List.of("isolate itest/first c1 pid", "isolate itest/second c1 pid")),
                calls.toString());
        assertEquals(List.of("cleanup itest/second c1", "cleanup itest/first c1"), calls.subList(4, 6));
        PluginInfo first = plugin("itest/first").orElseThrow();
        assertEquals("org.unicon.itests.framework", first.getBundle(), "the plugin's bundle is reported");
    }

    @Test
    void stopsUsingAnIsolatorWhenItIsUnregisteredAndUsesItAgainWhenItReturns() throws Exception {
        register("itest/first");
        register("itest/second", "itest/first");
        assertEquals(0, run("c2", "true").getStatus());

        registrations.remove(1).unregister();
        await(() -> plugin("itest/second").map(p -> p.getStatus() == PluginInfo.Status.MISSING).orElse(false));
        log.clear();
        ContainerizerException refused = assertThrows(ContainerizerException.class,
                () -> containerizer.launch(launch("c3", "true")));
        assertTrue(refused.getMessage().contains("isolation names 'itest/second', which is not installed"),
                refused.getMessage());
        assertTrue(log.isEmpty(), "no isolator was called for the refused launch: " + log);
        assertTrue(containerizer.wait(id("c3")).isEmpty(), "the refused container is unknown");

        register("itest/second", "itest/first");
        await(() -> plugin("itest/second").map(p -> p.getStatus() == PluginInfo.Status.IN_USE).orElse(false));
        assertEquals(0, run("c4", "true").getStatus());
        assertTrue(log.contains("prepare itest/second c4"), log.toString());
    }

    @Test
    void anIsolatorRecoversOffTheThreadThatRegistersItAndIsUsedOnlyOnceItHas() throws Exception {
        register("itest/second", "itest/first");
        CountDownLatch recovering = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> recoveredOn = Collections.synchronizedList(new ArrayList<>());
        Isolator slow = new Isolator() {
            @Override
            public void recover(List<RecoveredContainer> containers, Set<ContainerID> orphans) throws Exception {
                recoveredOn.add(Thread.currentThread().getName());
                recovering.countDown();
                release.await(20, TimeUnit.SECONDS); // as a plugin with many containers to recover
            }

            @Override
            public Optional<ContainerLaunchInfo> prepare(ContainerContext container) {
                log.add("prepare itest/first " + container.containerId().getValue());
                return Optional.empty();
            }
        };
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(Isolator.NAME, "itest/first");
        // At agent start this is the framework's start-level thread, which starts the bundles after it.
        registrations.add(context.registerService(Isolator.class, slow, properties));

        assertEquals(1, release.getCount(), "the registration returned while the isolator's recovery ran");
        assertTrue(recovering.await(20, TimeUnit.SECONDS), "the isolator recovers");
        assertFalse(recoveredOn.contains(Thread.currentThread().getName()), recoveredOn.toString());
        PluginInfo recoveringNow = plugin("itest/first").orElseThrow();
        assertEquals(PluginInfo.Status.MISSING, recoveringNow.getStatus(), "a plugin is not used before it has recovered");
        assertEquals("registered, and recovering its containers; used once it has", recoveringNow.getProblem());
        CompletableFuture<ContainerTermination> launch = CompletableFuture.supplyAsync(() -> {
            try {
                return run("c7", "true");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        release.countDown();
        assertEquals(0, launch.get(30, TimeUnit.SECONDS).getStatus(), "the launch waited for the isolator");
        assertTrue(log.contains("prepare itest/first c7"), log.toString());
        assertEquals(PluginInfo.Status.IN_USE, plugin("itest/first").orElseThrow().getStatus());
    }

    @Test
    void aCycleBetweenIsolatorsIsReportedAndRefused() throws Exception {
        register("itest/first", "itest/second");
        register("itest/second", "itest/first");
        // Unusable at first for want of itest/second (the core takes plugins up on its own thread),
        // then for the cycle once both are there.
        await(() -> plugin("itest/first").map(p -> p.getStatus() == PluginInfo.Status.UNUSABLE
                && p.getProblem().contains("cycle")).orElse(false));
        assertEquals("isolators depend on each other in a cycle: itest/second -> itest/first -> itest/second",
                plugin("itest/first").orElseThrow().getProblem());
        ContainerizerException refused = assertThrows(ContainerizerException.class,
                () -> containerizer.launch(launch("c5", "true")));
        assertTrue(refused.getMessage().contains("in a cycle"), refused.getMessage());
    }

    @Test
    void aBadConfigurationIsRefusedAndThePreviousOneStaysInForce() throws Exception {
        register("itest/first");
        register("itest/second", "itest/first");
        configure("", "relative/work");
        // Nothing observable says "refused"; give Config Admin and SCR time to deliver it.
        Thread.sleep(1000);
        assertEquals(PluginInfo.Status.IN_USE, plugin("itest/second").orElseThrow().getStatus());
        assertEquals(0, run("c6", "true").getStatus());
        assertTrue(Files.exists(dir.resolve("work/containers/c6/stdout")), "still the previous work_dir");
        assertFalse(Files.exists(Path.of("relative")));
        assertEquals(dir.resolve("work").toString(), agent.getProperties().get("work_dir"),
                "Config Admin holds the accepted configuration again, so a restart of the core uses it");
    }

    private void configure(String isolation, String workDir) throws Exception {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("work_dir", workDir);
        properties.put("runtime_dir", dir.resolve("run").toString());
        properties.put("isolation", isolation);
        properties.put("launcher", "posix");
        agent.update(properties);
    }

    private void register(String name, String... requires) {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(Isolator.NAME, name);
        properties.put(Isolator.REQUIRES, requires);
        registrations.add(context.registerService(Isolator.class, new RecordingIsolator(name, log), properties));
    }

    private Optional<PluginInfo> plugin(String name) {
        return containerizer.plugins().stream().filter(p -> p.getName().equals(name)).findFirst();
    }

    private ContainerTermination run(String name, String command) throws Exception {
        containerizer.launch(launch(name, command));
        return containerizer.wait(id(name)).orElseThrow().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static ContainerID id(String value) {
        return ContainerID.newBuilder().setValue(value).build();
    }

    private static Call.LaunchContainer launch(String name, String command) {
        return Call.LaunchContainer.newBuilder()
                .setContainerId(id(name))
                .setCommand(CommandInfo.newBuilder().setValue(command))
                .build();
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 20 s");
            }
            Thread.sleep(50);
        }
    }
}
