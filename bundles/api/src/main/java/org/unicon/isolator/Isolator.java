package org.unicon.isolator;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ConsumerType;
import org.unicon.model.ContainerID;
import org.unicon.model.ContainerLaunchInfo;
import org.unicon.model.ContainerLimitation;
import org.unicon.model.ContainerStatus;
import org.unicon.model.Resource;
import org.unicon.model.ResourceStatistics;
import org.unicon.model.Value;

/**
 * Isolates one aspect of every container, following the Mesos isolator lifecycle.
 *
 * <p>Register an implementation as an OSGi service with the {@link #NAME} property (annotate the
 * component with {@link IsolatorProperties}). The core uses the isolators that the agent's
 * {@code isolation} setting names, and orders them by {@link #REQUIRES}: {@code prepare} runs one
 * isolator at a time, each after every isolator it requires; {@code cleanup} runs in the reverse
 * order; {@code isolate}, {@code update}, {@code usage} and {@code status} may run for several
 * isolators at once. For one container, the core never calls two methods of the same isolator
 * concurrently, except {@code watch}'s stage, which completes on the isolator's own thread.
 *
 * <p>Every method has a do-nothing default, so an isolator implements only what it isolates. A
 * method that throws fails the operation: a failed {@code prepare} or {@code isolate} fails the
 * launch (the core then destroys the container, calling {@code cleanup}); a failed {@code
 * cleanup} is reported in the container's termination, and the other isolators are still
 * cleaned up. Exception messages reach the user as they are, prefixed with the isolator's name
 * and the container ID: write them for an operator.
 *
 * <p>After an agent restart or an upgrade of the isolator's bundle, {@link #recover} is called
 * once, before any other method, with every container the core knows, including those this
 * isolator never prepared (their {@link RecoveredContainer#state()} is empty). {@code cleanup}
 * must tolerate a container it knows nothing about.
 */
@ConsumerType
public interface Isolator {

    /** Service property (String): the isolator's name, such as {@code cgroups/mem}. Required. */
    String NAME = "unicon.isolator.name";

    /**
     * Service property (String[]): names of isolators whose {@code prepare} must run before this
     * one's. A configuration that uses this isolator without them is refused.
     */
    String REQUIRES = "unicon.isolator.requires";

    /**
     * Service property (String[]): names of the {@link ContextKey}s this isolator puts during
     * {@code prepare}. Putting a key it does not declare fails. Since 1.1.
     */
    String PRODUCES = "unicon.isolator.produces";

    /**
     * Service property (String[]): names of the {@link ContextKey}s this isolator gets during
     * {@code prepare}. The core prepares it after the isolators that produce them (as if it
     * required them) and refuses a configuration in which none does; getting a key it does not
     * declare fails. Since 1.1.
     */
    String CONSUMES = "unicon.isolator.consumes";

    /**
     * Service property (String): the version stamped on the state this isolator checkpoints
     * (see {@link ContainerContext#checkpoint}). Defaults to the registering bundle's version.
     */
    String VERSION = "unicon.isolator.version";

    /**
     * Rebuilds the isolator's view of running containers after a restart or an upgrade.
     *
     * @param containers every container the core recovered, with what this isolator (or an
     *        earlier version of it) checkpointed for each
     * @param orphans containers found on the host that no checkpoint owns; the core destroys
     *        them afterwards through the normal {@link #cleanup} path
     */
    default void recover(List<RecoveredContainer> containers, Set<ContainerID> orphans) throws Exception {}

    /**
     * Prepares a container before its process is created: creates what the container needs and
     * says how the launch must change (mounts, namespaces, environment, command...). Returning
     * empty changes nothing. An isolator must not set {@code rootfs} or {@code user}; two
     * isolators that both set {@code working_directory}, {@code rlimits} or capabilities make
     * the launch fail.
     */
    default Optional<ContainerLaunchInfo> prepare(ContainerContext container) throws Exception {
        return Optional.empty();
    }

    /**
     * Isolates the container's process. It has been created but has not yet run the
     * container's command (it waits until every isolator returned); {@code pid} is that of the
     * container's init, and every process of the container descends from it.
     */
    default void isolate(ContainerID id, long pid) throws Exception {}

    /**
     * A stage that completes when the container hits a limit this isolator enforces (the core
     * then destroys the container and reports the limitation as its termination reason). The
     * default never completes.
     */
    default CompletionStage<ContainerLimitation> watch(ContainerID id) {
        return new CompletableFuture<>();
    }

    /** Applies new resources and limits to a running container. */
    default void update(ContainerID id, List<Resource> resources, Map<String, Value.Scalar> limits)
            throws Exception {}

    /** Resource usage of the container; the core merges every isolator's statistics. */
    default ResourceStatistics usage(ContainerID id) throws Exception {
        return ResourceStatistics.getDefaultInstance();
    }

    /** Status of the container (e.g. its IP addresses); the core merges every isolator's. */
    default ContainerStatus status(ContainerID id) throws Exception {
        return ContainerStatus.getDefaultInstance();
    }

    /**
     * Releases everything the isolator holds for the container. Called at most once per
     * container, after all its processes are gone (or after a failed launch), and also for
     * containers this isolator never prepared, which it must ignore.
     */
    default void cleanup(ContainerID id) throws Exception {}
}
