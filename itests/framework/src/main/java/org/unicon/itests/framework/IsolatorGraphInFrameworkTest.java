package org.unicon.itests.framework;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.unicon.isolator.Isolator;
import org.unicon.model.CommandInfo;
import org.unicon.model.ContainerID;
import org.unicon.model.PluginInfo;
import org.unicon.model.agent.Call;

/**
 * How the isolator graph that `unicon plugins` shows follows isolator services as they come and
 * go, and as the isolation setting changes: a required isolator that is not registered is
 * MISSING and launches are refused naming it; an isolator whose requirement isolation does not
 * name is UNUSABLE with the reason; both become IN_USE once the graph is complete.
 */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
class IsolatorGraphInFrameworkTest {
    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 10_000)
    ConfigurationAdmin configurationAdmin;

    private Containerizer containerizer;
    private ServiceTracker<Containerizer, Containerizer> tracker;
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private final List<ServiceRegistration<Isolator>> registrations = new ArrayList<>();
    private Path dir;
    private Configuration agent;

    @BeforeEach
    void configure() throws Exception {
        dir = Files.createTempDirectory("unicon-itest-graph");
        agent = configurationAdmin.getConfiguration("unicon.agent", "?");
        configure("itest/first,itest/second");
        tracker = new ServiceTracker<>(context, Containerizer.class, null);
        tracker.open();
        containerizer = tracker.waitForService(20_000);
        assertTrue(containerizer != null, "the containerizer registers once it is configured");
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
    void aRequiredIsolatorThatIsNotRegisteredIsReportedAndLaunchesAreRefusedUntilItIs() throws Exception {
        register("itest/second", "itest/first");
        // The core takes a plugin up on its own thread: it is reported once that is done.
        await(() -> status("itest/second") != PluginInfo.Status.MISSING);
        PluginInfo missing = plugin("itest/first").orElseThrow();
        assertEquals("configured in isolation, but no bundle registers it", missing.getProblem());
        assertEquals(PluginInfo.Status.UNUSABLE, status("itest/second"), "it cannot be used without itest/first");
        assertEquals(List.of("itest/first"), plugin("itest/second").orElseThrow().getRequiresList());
        ContainerizerException refused = assertThrows(ContainerizerException.class,
                () -> containerizer.launch(launch("g1")));
        assertTrue(refused.getMessage().contains("'itest/first', which is not installed"), refused.getMessage());
        assertTrue(log.isEmpty(), "no isolator prepared the refused launch: " + log);
        assertTrue(containerizer.wait(ContainerID.newBuilder().setValue("g1").build()).isEmpty());

        ServiceRegistration<Isolator> first = register("itest/first");
        await(() -> status("itest/first") == PluginInfo.Status.IN_USE && status("itest/second") == PluginInfo.Status.IN_USE);
        assertEquals("", plugin("itest/second").orElseThrow().getProblem());
        containerizer.launch(launch("g2"));
        assertEquals(List.of("prepare itest/first g2", "prepare itest/second g2"), log.subList(0, 2));

        first.unregister();
        registrations.remove(first);
        await(() -> status("itest/first") == PluginInfo.Status.MISSING);
        assertThrows(ContainerizerException.class, () -> containerizer.launch(launch("g3")));
    }

    @Test
    void anIsolatorRequiringOneThatIsolationDoesNotNameIsUnusableUntilTheSettingNamesIt() throws Exception {
        configure("itest/second");
        register("itest/first");
        register("itest/second", "itest/first");
        await(() -> status("itest/second") == PluginInfo.Status.UNUSABLE);
        String problem = plugin("itest/second").orElseThrow().getProblem();
        assertTrue(problem.contains("'itest/second' requires 'itest/first', which isolation does not name"), problem);
        assertEquals(PluginInfo.Status.AVAILABLE, status("itest/first"));

        configure("itest/second,itest/first");
        await(() -> status("itest/first") == PluginInfo.Status.IN_USE && status("itest/second") == PluginInfo.Status.IN_USE);
        containerizer.launch(launch("g3"));
        assertEquals(List.of("prepare itest/first g3", "prepare itest/second g3"), log.subList(0, 2),
                "prepared in graph order, not in the order isolation names them");
    }

    @Test
    void changedServicePropertiesChangeTheGraph() throws Exception {
        configure("itest/second,itest/first");
        ServiceRegistration<Isolator> first = register("itest/first");
        ServiceRegistration<Isolator> second = register("itest/second", "itest/first");
        await(() -> status("itest/second") == PluginInfo.Status.IN_USE && status("itest/first") == PluginInfo.Status.IN_USE);
        containerizer.launch(launch("g4"));
        assertEquals(List.of("prepare itest/first g4", "prepare itest/second g4"), log.subList(0, 2));

        // The dependency turns around: second no longer requires first, first now requires second.
        second.setProperties(properties("itest/second"));
        first.setProperties(properties("itest/first", "itest/second"));
        await(() -> plugin("itest/first").orElseThrow().getRequiresList().equals(List.of("itest/second"))
                && plugin("itest/second").orElseThrow().getRequiresList().isEmpty());
        containerizer.wait(ContainerID.newBuilder().setValue("g4").build()).orElseThrow().toCompletableFuture()
                .get(30, TimeUnit.SECONDS); // g4's cleanups are logged by then
        log.clear();
        containerizer.launch(launch("g5"));
        assertEquals(List.of("prepare itest/second g5", "prepare itest/first g5"), log.subList(0, 2),
                "the changed requirements order the launch");
    }

    private static Dictionary<String, Object> properties(String name, String... requires) {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(Isolator.NAME, name);
        properties.put(Isolator.REQUIRES, requires);
        return properties;
    }

    private void configure(String isolation) throws Exception {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("work_dir", dir.resolve("work").toString());
        properties.put("runtime_dir", dir.resolve("run").toString());
        properties.put("isolation", isolation);
        properties.put("launcher", "posix");
        // Launches fail at once instead of waiting for a missing isolator to register.
        properties.put("plugin_wait_seconds", 0L);
        agent.update(properties);
    }

    private ServiceRegistration<Isolator> register(String name, String... requires) {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(Isolator.NAME, name);
        properties.put(Isolator.REQUIRES, requires);
        ServiceRegistration<Isolator> registration = context.registerService(Isolator.class,
                new RecordingIsolator(name, log), properties);
        registrations.add(registration);
        return registration;
    }

    private Optional<PluginInfo> plugin(String name) {
        return containerizer.plugins().stream().filter(p -> p.getName().equals(name)).findFirst();
    }

    private PluginInfo.Status status(String name) {
        return plugin(name).map(PluginInfo::getStatus).orElse(PluginInfo.Status.UNKNOWN_STATUS);
    }

    private static Call.LaunchContainer launch(String name) {
        return Call.LaunchContainer.newBuilder()
                .setContainerId(ContainerID.newBuilder().setValue(name))
                .setCommand(CommandInfo.newBuilder().setValue("true"))
                .build();
    }

    /** Waits for the condition; fails showing what `unicon plugins` would show. */
    private void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 20 s; plugins: " + containerizer.plugins());
            }
            Thread.sleep(50);
        }
    }
}
