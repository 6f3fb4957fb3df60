package org.unicon.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicon.containerizer.Containerizer.LaunchResult;
import org.unicon.containerizer.ContainerizerException;
import org.unicon.isolator.ContainerContext;
import org.unicon.isolator.ContextKey;
import org.unicon.isolator.Isolator;
import org.unicon.launcher.LaunchRequest;
import org.unicon.launcher.LaunchedContainer;
import org.unicon.launcher.Launcher;
import org.unicon.model.CommandInfo;
import org.unicon.model.ContainerID;
import org.unicon.model.ContainerLaunchInfo;
import org.unicon.model.ContainerTermination;
import org.unicon.model.Environment;
import org.unicon.model.Resource;
import org.unicon.model.Value;
import org.unicon.model.TaskState;
import org.unicon.model.TaskStatus;
import org.unicon.model.agent.Call;

/**
 * The containerizer's lifecycle with real processes. The launcher here is a minimal one written
 * for the test (the posix launcher lives in its own bundle and is tested there and in the
 * in-framework tests); it runs real shells, paused on a file until start.
 */
class ContainerizerCoreTest {
    @TempDir
    Path dir;

    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    private final PluginRegistry registry = new PluginRegistry();
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final TestLauncher launcher = new TestLauncher();

    @AfterEach
    void stop() {
        launcher.processes.values().forEach(p -> p.destroyForcibly());
        executor.shutdownNow();
    }

    private ContainerizerCore core(String isolation) throws Exception {
        return core(isolation, 0);
    }

    private ContainerizerCore core(String isolation, long pluginWaitSeconds) throws Exception {
        registry.launchers.add(new Plugin<>("test", launcher, "test.bundle", "1.0.0", "1.0.0", List.of(), 0));
        ContainerizerCore core = new ContainerizerCore(new Paths(dir.resolve("work"), dir.resolve("run")), registry,
                new AgentSettings(AgentSettings.list(isolation), "test", List.of(), "/mnt/mesos/sandbox", "",
                        pluginWaitSeconds), executor);
        new Recovery(core).run();
        return core;
    }

    private void isolator(String name, Isolator isolator, String... requires) {
        registry.isolators.add(new Plugin<>(name, isolator, "test.bundle", "1.0.0", "1.0.0", List.of(requires),
                registry.isolators.all().size()));
    }

    private void isolator(String name, Isolator isolator, List<String> produces, List<String> consumes) {
        registry.isolators.add(new Plugin<>(name, isolator, "test.bundle", "1.0.0", "1.0.0", List.of(),
                registry.isolators.all().size(), produces, consumes));
    }

    private static Call.LaunchContainer launch(String id, String command) {
        return Call.LaunchContainer.newBuilder()
                .setContainerId(ContainerID.newBuilder().setValue(id))
                .setCommand(CommandInfo.newBuilder().setValue(command)
                        .setEnvironment(Environment.newBuilder().addVariables(
                                Environment.Variable.newBuilder().setName("GREETING").setValue("hello"))))
                .build();
    }

    private static ContainerID id(String value) {
        return ContainerID.newBuilder().setValue(value).build();
    }

    private static ContainerTermination await(ContainerizerCore core, String id) throws Exception {
        return core.wait(id(id)).orElseThrow().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void runsTheCommandThroughIsolatorsInGraphOrderAndCleansUpInReverse() throws Exception {
        ContextKey<String> key = ContextKey.of("test/greeting", String.class);
        // b consumes what a produces: that alone orders b after a, whatever isolation says.
        isolator("b", new RecordingIsolator("b") {
            @Override
            public Optional<ContainerLaunchInfo> prepare(ContainerContext c) {
                calls.add("prepare b sees " + c.get(key).orElse("nothing"));
                return Optional.empty();
            }
        }, List.of(), List.of("test/greeting"));
        isolator("a", new RecordingIsolator("a") {
            @Override
            public Optional<ContainerLaunchInfo> prepare(ContainerContext c) {
                c.put(key, "from a");
                calls.add("prepare a");
                return Optional.of(ContainerLaunchInfo.newBuilder().setEnvironment(Environment.newBuilder()
                        .addVariables(Environment.Variable.newBuilder().setName("FROM_A").setValue("yes"))).build());
            }
        }, List.of("test/greeting"), List.of());
        ContainerizerCore core = core("b,a");

        assertEquals(LaunchResult.LAUNCHED, core.launch(launch("c1", "echo $GREETING $FROM_A; exit 3")));
        ContainerTermination t = await(core, "c1");

        assertEquals(3 << 8, t.getStatus(), "raw wait status of exit 3");
        assertEquals(TaskState.TASK_FAILED, t.getState());
        assertEquals("the command exited with code 3", t.getMessage());
        assertEquals("hello yes\n", Files.readString(dir.resolve("work/containers/c1/stdout")));
        List<String> seen = List.copyOf(calls);
        assertEquals("prepare a", seen.get(0));
        assertEquals("prepare b sees from a", seen.get(1));
        assertTrue(seen.contains("isolate a " + launcher.pids.get("c1")), seen.toString());
        assertEquals(List.of("cleanup b", "cleanup a"), seen.subList(seen.size() - 2, seen.size()));
        assertFalse(Files.exists(dir.resolve("run/containers/c1/pid")), "runtime state is dropped");
        assertTrue(Files.exists(dir.resolve("run/containers/c1/termination")), "the termination is kept");
    }

    @Test
    void contextDataIsDeclaredAConsumerWithoutProducerIsRefusedAndUndeclaredUseFails() throws Exception {
        ContextKey<String> key = ContextKey.of("test/token", String.class);
        isolator("reader", new RecordingIsolator("reader"), List.of(), List.of("test/token"));
        isolator("sneaky", new RecordingIsolator("sneaky") {
            @Override
            public Optional<ContainerLaunchInfo> prepare(ContainerContext c) {
                c.put(key, "undeclared");
                return Optional.empty();
            }
        });
        ContainerizerCore lonely = core("reader");
        ContainerizerException refused = assertThrows(ContainerizerException.class,
                () -> lonely.launch(launch("c11", "true")));
        assertEquals("the agent's isolation setting cannot be used: isolator 'reader' consumes context key"
                + " 'test/token', which no isolator in isolation produces", refused.getMessage());

        ContainerizerCore core = core("sneaky");
        ContainerizerException failed = assertThrows(ContainerizerException.class,
                () -> core.launch(launch("c12", "true")));
        assertTrue(failed.getMessage().endsWith("isolator 'sneaky' failed to prepare: isolator 'sneaky' puts context"
                + " key 'test/token', which it does not declare in unicon.isolator.produces"), failed.getMessage());
    }

    @Test
    void aFailedPrepareFailsTheLaunchRunsNothingAndCleansUp() throws Exception {
        isolator("ok", new RecordingIsolator("ok"));
        isolator("broken", new RecordingIsolator("broken") {
            @Override
            public Optional<ContainerLaunchInfo> prepare(ContainerContext c) throws Exception {
                throw new IllegalStateException("no more widgets");
            }
        }, "ok");
        ContainerizerCore core = core("ok,broken");

        ContainerizerException e = assertThrows(ContainerizerException.class,
                () -> core.launch(launch("c2", "touch should-not-exist")));
        assertEquals(ContainerizerException.Kind.FAILED, e.kind());
        assertEquals("failed to launch container 'c2': isolator 'broken' failed to prepare: no more widgets",
                e.getMessage());
        ContainerTermination t = await(core, "c2");
        assertEquals(TaskStatus.Reason.REASON_CONTAINER_LAUNCH_FAILED, t.getReason());
        assertFalse(launcher.pids.containsKey("c2"), "no process was created");
        assertTrue(calls.containsAll(List.of("cleanup broken", "cleanup ok")), calls.toString());
        assertTrue(calls.indexOf("cleanup broken") < calls.indexOf("cleanup ok"), "reverse order");
    }

    @Test
    void anUnusableIsolationIsRefusedBeforeAnythingIsCreated() throws Exception {
        isolator("cgroups/mem", new RecordingIsolator("cgroups/mem"));
        ContainerizerCore core = core("cgroups/mem,gpu/nvidia");
        ContainerizerException e = assertThrows(ContainerizerException.class,
                () -> core.launch(launch("c3", "true")));
        assertEquals("the agent's isolation setting cannot be used: isolation names 'gpu/nvidia', which is not"
                + " installed; available isolators: cgroups/mem (waited 0 s for isolator 'gpu/nvidia' to register)",
                e.getMessage());
        assertTrue(core.wait(id("c3")).isEmpty(), "the container is unknown");
        assertFalse(Files.exists(dir.resolve("run/containers/c3")));
        assertFalse(Files.exists(dir.resolve("work/containers/c3")));
    }

    @Test
    void aLaunchWaitsForAConfiguredIsolatorThatIsNotRegisteredYet() throws Exception {
        ContainerizerCore core = core("late", 30);
        CompletableFuture<LaunchResult> launch = CompletableFuture.supplyAsync(() -> {
            try {
                return core.launch(launch("c9", "exit 0"));
            } catch (ContainerizerException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(200);
        assertFalse(launch.isDone(), "the launch waits for isolator 'late'");
        isolator("late", new RecordingIsolator("late"));

        assertEquals(LaunchResult.LAUNCHED, launch.get(30, TimeUnit.SECONDS));
        assertEquals(0, await(core, "c9").getStatus());
        assertTrue(calls.contains("cleanup late"), "the late isolator was used: " + calls);
    }

    @Test
    void aPluginThatWentAwayAndCameBackWhileAStepRanIsUsedOnASecondTry() throws Exception {
        ContainerizerCore core = core("v", 30);
        isolator("v", new RecordingIsolator("v"));
        List<String> tries = new ArrayList<>();
        // The race seen in the upgrade suite: the step looked while 'v' 1.0.0 was gone, and by
        // the time it failed, 1.1.0 had registered, so nothing was missing any more.
        String planned = core.awaitPlugins("c11", List::of, () -> {
            tries.add("try");
            if (tries.size() == 1) {
                registry.isolators.add(new Plugin<>("v", new RecordingIsolator("v"), "test.bundle", "1.1.0",
                        "1.1.0", List.of(), 1));
                throw new ContainerizerException(ContainerizerException.Kind.FAILED, "isolator 'v' went away");
            }
            return "planned";
        });

        assertEquals("planned", planned);
        assertEquals(2, tries.size());
    }

    @Test
    void aStepThatFailsWithEveryPluginPresentFailsAtOnce() throws Exception {
        ContainerizerCore core = core("v", 30);
        isolator("v", new RecordingIsolator("v"));
        List<String> tries = new ArrayList<>();

        ContainerizerException e = assertThrows(ContainerizerException.class, () -> core.awaitPlugins("c12",
                List::of, () -> {
                    tries.add("try");
                    throw new ContainerizerException(ContainerizerException.Kind.FAILED, "the image is bad");
                }));
        assertEquals("the image is bad", e.getMessage());
        assertEquals(1, tries.size(), "no retry when no plugin was away");
    }

    @Test
    void aKillWhileTheLauncherIsAwayWaitsForItAndThenKillsTheProcesses() throws Exception {
        ContainerizerCore core = core("", 30);
        core.launch(launch("c10", "sleep 30"));
        Process process = launcher.processes.get("c10");
        registry.launchers.remove(launcher); // its bundle is being updated, or the agent just restarted

        assertTrue(core.kill(id("c10"), 9));
        Thread.sleep(200);
        assertTrue(process.isAlive(), "nothing can kill it without its launcher");
        registry.launchers.add(new Plugin<>("test", launcher, "test.bundle", "1.0.1", "1.0.1", List.of(), 1));

        ContainerTermination t = await(core, "c10");
        assertEquals(TaskState.TASK_KILLED, t.getState());
        assertFalse(t.getMessage().contains("not installed"), t.getMessage());
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the returned launcher killed it");
    }

    @Test
    void aBurstOfDestructionsRunsOnABoundedPoolAndOneWaitingForAnIsolatorHoldsUpNone() throws Exception {
        isolator("late", new RecordingIsolator("late"));
        ContainerizerCore core = core("late", 30);
        core.launch(launch("waits", "sleep 30"));
        registry.isolators.get("late").ifPresent(p -> registry.isolators.remove(p.service())); // its bundle is updated
        core.settings(new AgentSettings(List.of(), "test", List.of(), "/mnt/mesos/sandbox", "", 30));
        int burst = 2 * ContainerizerCore.DESTRUCTION_THREADS + 3;
        for (int i = 0; i < burst; i++) {
            core.launch(launch("b" + i, "sleep 30"));
        }

        CompletionStage<ContainerTermination> waiting = core.destroy(id("waits")).orElseThrow();
        List<CompletableFuture<ContainerTermination>> destroyed = new ArrayList<>();
        for (int i = 0; i < burst; i++) {
            destroyed.add(core.destroy(id("b" + i)).orElseThrow().toCompletableFuture());
        }
        CompletableFuture.allOf(destroyed.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

        assertFalse(waiting.toCompletableFuture().isDone(), "it waits for isolator 'late' to come back");
        Set<String> threads = new java.util.HashSet<>();
        for (int i = 0; i < burst; i++) {
            threads.add(launcher.destroyedOn.get("b" + i));
        }
        assertTrue(threads.size() <= ContainerizerCore.DESTRUCTION_THREADS, threads.toString());
        assertTrue(threads.stream().allMatch(name -> name.startsWith("unicon-destroy-")), threads.toString());
        isolator("late", new RecordingIsolator("late"));
        ContainerTermination t = waiting.toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertEquals("the command exited with code 137", t.getMessage(), "destroyed whole, nothing reported missing");
        assertTrue(calls.contains("cleanup late"), "the returned isolator cleaned it up: " + calls);
        assertFalse(launcher.destroyedOn.get("waits").startsWith("unicon-destroy-"),
                "the waiting destruction had a thread of its own: " + launcher.destroyedOn.get("waits"));
    }

    @Test
    void aSecondLaunchWithTheSameIdChangesNothing() throws Exception {
        ContainerizerCore core = core("");
        assertEquals(LaunchResult.LAUNCHED, core.launch(launch("c4", "sleep 30")));
        assertEquals(LaunchResult.ALREADY_LAUNCHED, core.launch(launch("c4", "echo other")));
        assertEquals(LaunchResult.ALREADY_LAUNCHED, core.launch(Call.LaunchContainer.newBuilder()
                .setContainerId(id("c4")).build()), "an existing ID wins over an invalid request, as in Mesos");
        assertTrue(core.kill(id("c4"), 9));
        ContainerTermination t = await(core, "c4");
        assertEquals(TaskState.TASK_KILLED, t.getState());
        assertEquals("", Files.readString(dir.resolve("work/containers/c4/stdout")));
    }

    @Test
    void removeRefusesARunningContainerAndDeletesATerminatedOne() throws Exception {
        ContainerizerCore core = core("");
        core.launch(launch("c5", "sleep 30"));
        ContainerizerException running = assertThrows(ContainerizerException.class, () -> core.remove(id("c5")));
        assertEquals(ContainerizerException.Kind.CONFLICT, running.kind());
        core.kill(id("c5"), 9);
        await(core, "c5");
        core.remove(id("c5"));
        assertTrue(core.wait(id("c5")).isEmpty());
        assertFalse(Files.exists(dir.resolve("work/containers/c5")));
        assertFalse(Files.exists(dir.resolve("run/containers/c5")));
        assertEquals(ContainerizerException.Kind.NOT_FOUND,
                assertThrows(ContainerizerException.class, () -> core.remove(id("c5"))).kind());
    }

    @Test
    void aRestartedContainerizerStillKnowsTerminatedContainers() throws Exception {
        ContainerizerCore first = core("");
        first.launch(launch("c6", "exit 7"));
        assertEquals(7 << 8, await(first, "c6").getStatus());

        ContainerizerCore second = new ContainerizerCore(new Paths(dir.resolve("work"), dir.resolve("run")),
                new PluginRegistry(), new AgentSettings(List.of(), "test", List.of(), "/mnt/mesos/sandbox", ""), executor);
        new Recovery(second).run();
        ContainerTermination t = await(second, "c6");
        assertEquals(7 << 8, t.getStatus());
        assertEquals(1, second.containers().size());
    }

    @Test
    void invalidRequestsAreRefusedAndChangeNothing() throws Exception {
        ContainerizerCore core = core("");
        assertEquals(ContainerizerException.Kind.INVALID, assertThrows(ContainerizerException.class,
                () -> core.launch(launch("../x", "true"))).kind());
        ContainerizerException noCommand = assertThrows(ContainerizerException.class, () -> core.launch(
                Call.LaunchContainer.newBuilder().setContainerId(id("c7")).build()));
        assertTrue(noCommand.getMessage().startsWith("command is missing"), noCommand.getMessage());
        assertTrue(core.containers().isEmpty());
        assertFalse(Files.exists(dir.resolve("run/containers")) && Files.list(dir.resolve("run/containers")).findAny().isPresent());
    }

    @Test
    void updateReachesEveryIsolatorOfARunningContainerAndRefusesBadResourcesFirst() throws Exception {
        isolator("limits", new RecordingIsolator("limits") {
            @Override
            public void update(ContainerID id, List<Resource> resources, Map<String, Value.Scalar> limits) {
                calls.add("update " + id.getValue() + " " + resources.get(0).getName() + "="
                        + resources.get(0).getScalar().getValue());
            }
        });
        ContainerizerCore core = core("limits");
        core.launch(launch("c8", "sleep 30"));
        Resource mem = Resource.newBuilder().setName("mem").setType(Value.Type.SCALAR)
                .setScalar(Value.Scalar.newBuilder().setValue(64)).build();

        core.update(id("c8"), List.of(mem), Map.of());
        assertTrue(calls.contains("update c8 mem=64.0"), calls.toString());

        Resource negative = mem.toBuilder().setScalar(Value.Scalar.newBuilder().setValue(-1)).build();
        ContainerizerException bad = assertThrows(ContainerizerException.class,
                () -> core.update(id("c8"), List.of(negative), Map.of()));
        assertEquals(ContainerizerException.Kind.INVALID, bad.kind());
        assertEquals("resource 'mem' is -1.0; scalar resources must be finite and non-negative", bad.getMessage());
        assertEquals(1, calls.stream().filter(c -> c.startsWith("update")).count(), "the isolator saw no bad update");

        core.kill(id("c8"), 9);
        await(core, "c8");
        assertEquals(ContainerizerException.Kind.CONFLICT, assertThrows(ContainerizerException.class,
                () -> core.update(id("c8"), List.of(mem), Map.of())).kind());
        assertEquals(ContainerizerException.Kind.NOT_FOUND, assertThrows(ContainerizerException.class,
                () -> core.update(id("nobody"), List.of(mem), Map.of())).kind());
    }

    /** Records every call, so tests can check order. */
    private class RecordingIsolator implements Isolator {
        private final String name;

        RecordingIsolator(String name) {
            this.name = name;
        }

        @Override
        public void isolate(ContainerID id, long pid) {
            calls.add("isolate " + name + " " + pid);
        }

        @Override
        public void cleanup(ContainerID id) {
            calls.add("cleanup " + name);
        }
    }

    /** Runs `sh -c`, paused until a "go" file appears in its directory. */
    private static final class TestLauncher implements Launcher {
        final Map<String, Process> processes = new ConcurrentHashMap<>();
        final Map<String, Long> pids = new ConcurrentHashMap<>();
        final Map<String, Path> dirs = new ConcurrentHashMap<>();
        /** The thread each container's destroy ran on. */
        final Map<String, String> destroyedOn = new ConcurrentHashMap<>();

        @Override
        public long create(LaunchRequest request) throws Exception {
            Path go = request.directory().resolve("go");
            ProcessBuilder builder = new ProcessBuilder("sh", "-c",
                    "while [ ! -e \"$0\" ]; do sleep 0.01; done; exec sh -c \"$1\"", go.toString(),
                    request.launchInfo().getCommand().getValue());
            builder.environment().clear();
            request.launchInfo().getEnvironment().getVariablesList()
                    .forEach(v -> builder.environment().put(v.getName(), v.getValue()));
            builder.directory(Path.of(request.launchInfo().getWorkingDirectory()).toFile());
            builder.redirectOutput(request.stdout().toFile()).redirectError(request.stderr().toFile());
            Process process = builder.start();
            String id = request.containerId().getValue();
            processes.put(id, process);
            pids.put(id, process.pid());
            dirs.put(id, request.directory());
            return process.pid();
        }

        @Override
        public void start(ContainerID id) throws Exception {
            Files.createFile(dirs.get(id.getValue()).resolve("go"));
        }

        @Override
        public CompletionStage<Integer> exit(ContainerID id) {
            Process process = processes.get(id.getValue());
            return process == null ? CompletableFuture.failedFuture(new IllegalStateException("unknown"))
                    : process.onExit().thenApply(p -> p.exitValue() << 8);
        }

        @Override
        public void kill(ContainerID id, int signal) {
            processes.get(id.getValue()).destroy();
        }

        @Override
        public void destroy(ContainerID id) throws Exception {
            destroyedOn.put(id.getValue(), Thread.currentThread().getName());
            Process process = processes.get(id.getValue());
            if (process != null) {
                process.destroyForcibly().waitFor();
            }
        }

        @Override
        public Set<ContainerID> recover(List<LaunchedContainer> containers) {
            return Set.of();
        }
    }
}
