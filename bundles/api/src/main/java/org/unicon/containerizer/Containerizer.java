package org.unicon.containerizer;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ProviderType;
import org.unicon.model.ContainerID;
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
 * Runs standalone containers on this machine (the Mesos containerizer's contract).
 *
 * <p>Every method is thread-safe. Failures are {@link ContainerizerException}s whose
 * {@link ContainerizerException#kind() kind} says whether the caller asked for something invalid,
 * named an unknown container, or the operation itself failed.
 */
@ProviderType
public interface Containerizer {

    /** The outcome of a successful {@link #launch}. */
    enum LaunchResult {
        /** The container was launched: its command is running (or has already finished). */
        LAUNCHED,
        /** A container with this ID exists already (running or terminated); nothing was done. */
        ALREADY_LAUNCHED
    }

    /**
     * Provisions, prepares, isolates and starts a container. Returns once its command runs. On
     * failure the container is destroyed (nothing of it is left but its termination, which
     * {@link #wait} reports) and the exception says what failed.
     */
    LaunchResult launch(Call.LaunchContainer request) throws ContainerizerException;

    /**
     * The container's termination, once it has terminated. Empty when the container is unknown.
     * A terminated container keeps its termination until {@link #remove}d.
     */
    Optional<CompletionStage<ContainerTermination>> wait(ContainerID id);

    /**
     * Sends a signal to the container's command; SIGKILL destroys the whole container.
     *
     * @return false when the container is unknown or has already terminated
     */
    boolean kill(ContainerID id, int signal) throws ContainerizerException;

    /** Destroys the container; the same termination as {@link #wait}. Empty when unknown. */
    Optional<CompletionStage<ContainerTermination>> destroy(ContainerID id);

    /** Forgets a terminated container and deletes its sandbox. Fails if it is still running. */
    void remove(ContainerID id) throws ContainerizerException;

    /** Changes the resources and limits of a running container. */
    void update(ContainerID id, List<Resource> resources, Map<String, Value.Scalar> limits)
            throws ContainerizerException;

    ResourceStatistics usage(ContainerID id) throws ContainerizerException;

    ContainerStatus status(ContainerID id) throws ContainerizerException;

    /** Every known container, running or terminated, with its state, status and statistics. */
    List<Response.GetContainers.Container> containers();

    /** The container's sandbox on the host; empty when the container is unknown. */
    Optional<Path> sandbox(ContainerID id);

    /**
     * Fetches an image into its store without launching anything (what a launch with that image
     * would do first), reporting each layer to {@code progress}.
     */
    ImageSummary pull(Image image, PullProgress progress) throws ContainerizerException;

    /** Every image in every store. */
    List<ImageSummary> images() throws ContainerizerException;

    /**
     * Removes images, and layers nothing references, except {@code excluded} and whatever a
     * container that has not been removed uses (Mesos's PRUNE_IMAGES).
     */
    void prune(List<Image> excluded) throws ContainerizerException;

    /**
     * Every plugin service registered (isolators, launchers, stores, backends), and every
     * configured plugin that is missing or unusable, with the reason.
     */
    List<PluginInfo> plugins();
}
