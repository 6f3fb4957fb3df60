package org.unicon.agent.http.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;

import org.unicon.containerizer.Containerizer;
import org.unicon.containerizer.ContainerizerException;
import org.unicon.containerizer.ContainerizerException.Kind;
import org.unicon.model.ContainerID;
import org.unicon.model.ContainerState;
import org.unicon.model.ContainerStatus;
import org.unicon.model.ContainerTermination;
import org.unicon.model.Image;
import org.unicon.model.ImageSummary;
import org.unicon.model.PluginInfo;
import org.unicon.model.Resource;
import org.unicon.model.ResourceStatistics;
import org.unicon.model.Value;
import org.unicon.model.agent.Call;
import org.unicon.model.agent.Response;
import org.unicon.store.PullProgress;

/**
 * A stand-in for the core's containerizer, which another developer is writing at the same time
 * as this bundle: it keeps containers in a map and runs no process. The API's job is to turn
 * calls into containerizer calls and outcomes into Mesos answers, which this lets the tests
 * drive exactly (a termination arrives when the test completes it, a launch fails on demand).
 * Whole-runtime tests with the real core live in itests/.
 */
final class TestContainerizer implements Containerizer {

    /** A launch of a container whose ID starts with this fails (Kind.FAILED), as a bad image would. */
    static final String FAILING = "fail-";
    /** A call naming a container whose ID starts with this throws an unchecked exception (a core bug). */
    static final String BROKEN = "bug-";

    final Path sandboxes;
    final Map<String, CompletableFuture<ContainerTermination>> containers = new ConcurrentHashMap<>();
    final List<Call.LaunchContainer> launches = new CopyOnWriteArrayList<>();
    final List<String> kills = new CopyOnWriteArrayList<>();
    final List<String> removed = new CopyOnWriteArrayList<>();
    /** "ID, number of resources, limit names" of every update. */
    final List<String> updates = new CopyOnWriteArrayList<>();
    /** The IDs of WAIT calls, in order, so that a test knows a waiter has registered. */
    final BlockingQueue<String> waits = new LinkedBlockingQueue<>();
    /** While set and closed, launches block on it, as a launch pulling an image does. */
    volatile CountDownLatch launchGate;
    volatile List<PluginInfo> plugins = List.of();
    final List<List<Image>> prunes = new CopyOnWriteArrayList<>();

    TestContainerizer(Path sandboxes) {
        this.sandboxes = sandboxes;
    }

    /** Adds a running container with a sandbox, as if launched. */
    Path running(String id) {
        containers.put(id, new CompletableFuture<>());
        try {
            return Files.createDirectories(sandboxes.resolve(id));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void terminate(String id, ContainerTermination termination) {
        containers.get(id).complete(termination);
    }

    @Override
    public LaunchResult launch(Call.LaunchContainer request) throws ContainerizerException {
        String id = request.getContainerId().getValue();
        if (id.isEmpty() || id.contains("/")) {
            throw new ContainerizerException(Kind.INVALID, "container ID '" + id + "' is invalid");
        }
        if (id.startsWith(BROKEN)) {
            throw new IllegalStateException("bug in the core");
        }
        if (containers.containsKey(id)) {
            return LaunchResult.ALREADY_LAUNCHED;
        }
        if (id.startsWith(FAILING)) {
            throw new ContainerizerException(Kind.FAILED, "image 'nosuch' not found in registry");
        }
        CountDownLatch gate = launchGate;
        if (gate != null) {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ContainerizerException(Kind.FAILED, "interrupted while launching '" + id + "'");
            }
        }
        launches.add(request);
        running(id);
        return LaunchResult.LAUNCHED;
    }

    @Override
    public Optional<CompletionStage<ContainerTermination>> wait(ContainerID id) {
        waits.add(id.getValue());
        return Optional.ofNullable(containers.get(id.getValue()));
    }

    @Override
    public boolean kill(ContainerID id, int signal) {
        CompletableFuture<ContainerTermination> c = containers.get(id.getValue());
        if (c == null || c.isDone()) {
            return false;
        }
        kills.add(id.getValue() + ":" + signal);
        return true;
    }

    @Override
    public Optional<CompletionStage<ContainerTermination>> destroy(ContainerID id) {
        return Optional.ofNullable(containers.get(id.getValue()));
    }

    @Override
    public void remove(ContainerID id) throws ContainerizerException {
        CompletableFuture<ContainerTermination> c = containers.get(id.getValue());
        if (c == null) {
            throw new ContainerizerException(Kind.NOT_FOUND, "container '" + id.getValue() + "' is unknown");
        }
        if (!c.isDone()) {
            throw new ContainerizerException(Kind.CONFLICT,
                    "container '" + id.getValue() + "' is still running: kill it first");
        }
        containers.remove(id.getValue());
        removed.add(id.getValue());
    }

    @Override
    public void update(ContainerID id, List<Resource> resources, Map<String, Value.Scalar> limits)
            throws ContainerizerException {
        CompletableFuture<ContainerTermination> c = containers.get(id.getValue());
        if (c == null) {
            throw new ContainerizerException(Kind.NOT_FOUND, "container '" + id.getValue() + "' is unknown");
        }
        updates.add(id.getValue() + " " + resources.size() + " " + limits.keySet());
    }

    @Override
    public ResourceStatistics usage(ContainerID id) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ContainerStatus status(ContainerID id) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<Response.GetContainers.Container> containers() {
        List<Response.GetContainers.Container> list = new ArrayList<>();
        containers.forEach((id, termination) -> list.add(Response.GetContainers.Container.newBuilder()
                .setContainerId(ContainerID.newBuilder().setValue(id))
                .setState(termination.isDone() ? ContainerState.TERMINATED : ContainerState.RUNNING)
                .build()));
        return list;
    }

    @Override
    public Optional<Path> sandbox(ContainerID id) {
        return containers.containsKey(id.getValue())
                ? Optional.of(sandboxes.resolve(id.getValue())) : Optional.empty();
    }

    @Override
    public List<PluginInfo> plugins() {
        return plugins;
    }

    /** Reports one two-event layer, then the image; an image named "fail-..." fails as a missing one would. */
    @Override
    public ImageSummary pull(Image image, PullProgress progress) throws ContainerizerException {
        String name = image.getDocker().getName();
        if (name.startsWith(FAILING)) {
            throw new ContainerizerException(Kind.FAILED, "image '" + name + "' not found");
        }
        progress.layer("sha256:aa", 10, false);
        progress.progress("sha256:aa", 10);
        progress.done("sha256:aa");
        return ImageSummary.newBuilder().setType(Image.Type.DOCKER).setName(name).setLayers(1).setSize(10).build();
    }

    @Override
    public List<ImageSummary> images() {
        return List.of(ImageSummary.newBuilder().setType(Image.Type.DOCKER).setName("library/busybox:latest").build());
    }

    @Override
    public void prune(List<Image> excluded) {
        prunes.add(List.copyOf(excluded));
    }
}
