package org.unicon.testkit.isolator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicon.isolator.Isolator;
import org.unicon.model.CommandInfo;
import org.unicon.model.ContainerConfig;
import org.unicon.model.ContainerID;
import org.unicon.model.ContainerInfo;
import org.unicon.model.ContainerLaunchInfo;
import org.unicon.model.Image;
import org.unicon.model.ImageRuntimeConfig;

/**
 * What every {@link Isolator} owes the core, whatever it isolates. Extend it in the isolator's
 * tests:
 *
 * <pre>
 * class MyIsolatorConformanceTest extends IsolatorConformance {
 *     protected Isolator createIsolator(Path stateDir) { return new MyIsolator(stateDir); }
 *     protected Class&lt;?&gt; componentClass() { return MyIsolatorComponent.class; }
 * }
 * </pre>
 *
 * The suite checks the registered service properties (from the component's Declarative Services
 * descriptor when bnd's output is on the class path, else from the class-retention annotations
 * bnd turns into it: {@code @Component} and {@code @IsolatorProperties}); that {@code prepare} never
 * sets {@code rootfs} or {@code user}, for containers with and without an image; that {@code
 * cleanup} of a container the isolator does not know is fine and that cleanup is idempotent;
 * that {@code recover} with nothing to recover is fine; that prepare then cleanup leaves the
 * sandbox, the rootfs and the isolator's own directory as they were, also across a restart
 * (recover from the checkpointed state, then cleanup), apart from the files it declares as
 * {@link #sandboxOutputs}; and that {@code status} and {@code usage} return instances. Override
 * {@link #typicalConfig} when the default container is not one the isolator contributes to.
 */
public abstract class IsolatorConformance {
    private static final Pattern NAME = Pattern.compile("[a-z0-9_]+(/[a-z0-9_.-]+)*");

    /**
     * A new isolator, as the component would make it, keeping whatever it writes of its own
     * (outside sandboxes) under {@code stateDir}. Called again with the same directory to stand
     * for a restart of the agent.
     */
    protected abstract Isolator createIsolator(Path stateDir) throws Exception;

    /** The {@code @Component} class that registers the isolator as a service. */
    protected abstract Class<?> componentClass();

    /** The component's name; bnd's default is the class name. */
    protected String componentName() {
        return componentClass().getName();
    }

    /**
     * The configuration of a typical container for this isolator, as the core would make it.
     * The default is a busybox container: a rootfs, its image config, a shell command.
     */
    protected ContainerConfig typicalConfig(Path sandbox, Path rootfs) {
        return ContainerConfig.newBuilder()
                .setDirectory(sandbox.toString())
                .setRootfs(rootfs.toString())
                .setSandboxDirectory("/mnt/mesos/sandbox")
                .setCommandInfo(CommandInfo.newBuilder().setShell(true).setValue("echo hello"))
                .setContainerInfo(ContainerInfo.newBuilder()
                        .setType(ContainerInfo.Type.MESOS)
                        .setMesos(ContainerInfo.MesosInfo.newBuilder().setImage(Image.newBuilder()
                                .setType(Image.Type.DOCKER)
                                .setDocker(Image.Docker.newBuilder().setName("busybox")))))
                .setImageConfig(ImageRuntimeConfig.newBuilder()
                        .addCmd("sh")
                        .addEnv("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"))
                .build();
    }

    /**
     * Files the isolator writes into a container's sandbox for the user, which outlive {@code
     * cleanup} as the container's {@code stdout} does (the sandbox goes with REMOVE_CONTAINER):
     * names relative to the sandbox. The leftover checks ignore them. Default: none.
     */
    protected Set<String> sandboxOutputs() {
        return Set.of();
    }

    /** The same container without an image: no rootfs, no image config, runs in the host sandbox. */
    protected ContainerConfig withoutImage(ContainerConfig config) {
        ContainerConfig.Builder builder = config.toBuilder().clearRootfs().clearImageConfig().clearSandboxDirectory();
        if (builder.hasContainerInfo()) {
            builder.setContainerInfo(builder.getContainerInfo().toBuilder().clearMesos());
        }
        return builder.build();
    }

    @TempDir
    protected Path temp;

    /** Where the isolator under test keeps its own files. */
    protected Path stateDir;

    @BeforeEach
    void createDirectories() throws IOException {
        stateDir = Files.createDirectories(temp.resolve("state"));
        Files.createDirectories(temp.resolve("sandboxes"));
        Path rootfs = Files.createDirectories(temp.resolve("rootfs"));
        for (String dir : List.of("bin", "etc", "tmp", "usr/bin")) {
            Files.createDirectories(rootfs.resolve(dir));
        }
        Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
    }

    /** A fresh sandbox for container {@code id}, as the core creates it (with stdout and stderr). */
    protected final ContainerConfig config(String id) throws IOException {
        Path sandbox = Files.createDirectories(temp.resolve("sandboxes").resolve(id));
        Files.writeString(sandbox.resolve("stdout"), "");
        Files.writeString(sandbox.resolve("stderr"), "");
        return typicalConfig(sandbox, temp.resolve("rootfs"));
    }

    protected static ContainerID id(String value) {
        return ContainerID.newBuilder().setValue(value).build();
    }

    @Test
    void registersANameAndWellFormedRequires() throws Exception {
        assertTrue(Isolator.class.isAssignableFrom(componentClass()),
                componentClass().getName() + " does not implement " + Isolator.class.getName());
        ComponentDescriptor component = ComponentDescriptor.load(componentClass(), componentName());
        assertTrue(component.services.contains(Isolator.class.getName()),
                "component " + component.name + " does not provide " + Isolator.class.getName()
                        + " (it provides " + component.services + ")");

        List<String> names = component.properties.get(Isolator.NAME);
        assertNotNull(names, "component " + component.name + " has no " + Isolator.NAME + " property;"
                + " annotate it with @IsolatorProperties(name = ...)");
        assertEquals(1, names.size(), Isolator.NAME + " must be one name, is " + names);
        String name = names.get(0);
        assertTrue(NAME.matcher(name).matches(), "isolator name '" + name + "' is not like 'cgroups/mem'"
                + " (lower case words separated by '/', no spaces or commas)");

        List<String> requires = component.properties.getOrDefault(Isolator.REQUIRES, List.of());
        Set<String> seen = new HashSet<>();
        for (String required : requires) {
            assertTrue(NAME.matcher(required).matches(), "required isolator '" + required + "' of '" + name
                    + "' is not a well-formed isolator name");
            assertFalse(required.equals(name), "isolator '" + name + "' requires itself");
            assertTrue(seen.add(required), "isolator '" + name + "' requires '" + required + "' twice");
        }
    }

    @Test
    void prepareNeverSetsRootfsOrUser() throws Exception {
        Isolator isolator = createIsolator(stateDir);
        ContainerConfig withImage = config("with-image").toBuilder().setUser("nobody").build();
        ContainerConfig imageless = withoutImage(config("without-image").toBuilder().setUser("nobody").build());
        for (ContainerConfig config : List.of(withImage, imageless)) {
            TestContainerContext context = new TestContainerContext(sandboxName(config), config);
            Optional<ContainerLaunchInfo> info = isolator.prepare(context);
            assertNotNull(info, "prepare returned null; return Optional.empty() to change nothing");
            info.ifPresent(i -> {
                assertFalse(i.hasRootfs(), "prepare set rootfs, which only the core may set: " + i);
                assertFalse(i.hasUser(), "prepare set user, which only the core may set: " + i);
            });
            isolator.cleanup(context.containerId());
        }
    }

    @Test
    void cleanupOfAnUnknownContainerIsFineAndIdempotent() throws Exception {
        Isolator isolator = createIsolator(stateDir);
        isolator.cleanup(id("never-prepared"));
        isolator.cleanup(id("never-prepared"));

        TestContainerContext context = new TestContainerContext("c1", config("c1"));
        isolator.prepare(context);
        isolator.cleanup(context.containerId());
        isolator.cleanup(context.containerId());
    }

    @Test
    void recoverWithNoStateIsFine() throws Exception {
        createIsolator(stateDir).recover(List.of(), Set.of());

        Isolator isolator = createIsolator(stateDir);
        ContainerConfig config = config("c1");
        isolator.recover(List.of(TestRecoveredContainer.withoutState(id("c1"), config)), Set.of(id("orphan")));
        isolator.cleanup(id("c1"));
        isolator.cleanup(id("orphan"));
    }

    @Test
    void prepareThenCleanupLeavesNothingBehind() throws Exception {
        Isolator isolator = createIsolator(stateDir);
        TestContainerContext context = new TestContainerContext("c1", config("c1"));
        Map<String, String> before = tree(temp);

        isolator.prepare(context);
        isolator.cleanup(context.containerId());

        assertEquals(before, withoutSandboxOutputs(tree(temp)), "prepare then cleanup left something behind (or changed something)"
                + " in the sandbox, the rootfs or the isolator's directory");
    }

    @Test
    void cleanupAfterARestartLeavesNothingBehind() throws Exception {
        TestContainerContext context = new TestContainerContext("c1", config("c1"));
        Map<String, String> before = tree(temp);
        createIsolator(stateDir).prepare(context);

        Isolator restarted = createIsolator(stateDir);
        restarted.recover(List.of(TestRecoveredContainer.of(context, "under-test", "1.0.0")), Set.of());
        restarted.cleanup(context.containerId());

        assertEquals(before, withoutSandboxOutputs(tree(temp)), "cleanup after a restart (recover from the checkpointed state) left"
                + " something behind");
    }

    @Test
    void prepareWorksAgainAfterCleanup() throws Exception {
        Isolator isolator = createIsolator(stateDir);
        ContainerConfig config = config("c1");
        isolator.prepare(new TestContainerContext("c1", config));
        isolator.cleanup(id("c1"));
        Optional<ContainerLaunchInfo> first = isolator.prepare(new TestContainerContext("c1", config));
        isolator.cleanup(id("c1"));
        Optional<ContainerLaunchInfo> second = isolator.prepare(new TestContainerContext("c1", config));
        isolator.cleanup(id("c1"));
        assertEquals(first, second, "a second prepare of the same container after cleanup contributed differently");
    }

    @Test
    void statusAndUsageReturnInstances() throws Exception {
        Isolator isolator = createIsolator(stateDir);
        TestContainerContext context = new TestContainerContext("c1", config("c1"));
        isolator.prepare(context);
        try {
            for (ContainerID id : List.of(context.containerId(), id("unknown"))) {
                assertNotNull(isolator.status(id), "status returned null for " + id.getValue());
                assertNotNull(isolator.usage(id), "usage returned null for " + id.getValue());
            }
        } finally {
            isolator.cleanup(context.containerId());
        }
    }

    /**
     * The service properties the component registers (property name to values), from its
     * descriptor or, before bnd has packaged it, from the annotations bnd turns into one.
     */
    protected final Map<String, List<String>> serviceProperties() throws Exception {
        return ComponentDescriptor.load(componentClass(), componentName()).properties;
    }

    /** {@code tree} without the {@link #sandboxOutputs} of any sandbox. */
    private Map<String, String> withoutSandboxOutputs(Map<String, String> tree) {
        Set<String> outputs = sandboxOutputs();
        Map<String, String> kept = new TreeMap<>(tree);
        kept.keySet().removeIf(key -> {
            Path path = Path.of(key);
            return path.getNameCount() > 2 && path.getName(0).toString().equals("sandboxes")
                    && outputs.contains(path.subpath(2, path.getNameCount()).toString());
        });
        return kept;
    }

    private static String sandboxName(ContainerConfig config) {
        return Path.of(config.getDirectory()).getFileName().toString();
    }

    /** Every path under {@code root} with its type (and a symlink's target, a file's content). */
    protected static Map<String, String> tree(Path root) throws IOException {
        Map<String, String> entries = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                String key = root.relativize(path).toString();
                if (Files.isSymbolicLink(path)) {
                    entries.put(key, "symlink -> " + Files.readSymbolicLink(path));
                } else if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                    entries.put(key, "directory");
                } else if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                    entries.put(key, "file: " + Files.readString(path));
                } else {
                    fail("unexpected file type at " + path);
                }
            }
        }
        return entries;
    }
}
