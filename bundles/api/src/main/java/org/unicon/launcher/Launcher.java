package org.unicon.launcher;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ConsumerType;
import org.unicon.model.ContainerID;
import org.unicon.model.ContainerStatus;

/**
 * Creates, runs and destroys the processes of containers.
 *
 * <p>The core calls {@link #create}, then every isolator's {@code isolate} with the returned
 * pid, then {@link #start}. Between create and start the container's command must not run (the
 * Mesos "block on a pipe, then exec"); if the core destroys the container instead, the command
 * never runs. The container and its exit status must outlive the agent: after a restart the
 * core calls {@link #recover} with what it checkpointed, and {@link #exit}, {@link #kill} and
 * {@link #destroy} must work again for every container recovered.
 *
 * <p>Methods for one container are never called concurrently, except {@link #kill} and
 * {@link #destroy}, which may come while {@link #exit}'s stage is pending. Failures are
 * exceptions whose messages reach the operator.
 */
@ConsumerType
public interface Launcher {

    /** Service property (String): the launcher's name, as in the agent's {@code launcher} setting. */
    String NAME = "unicon.launcher.name";

    /**
     * Creates the container's init process, paused before the container's command runs.
     *
     * @return the pid of the container's init: every process of the container descends from it
     */
    long create(LaunchRequest request) throws Exception;

    /** Lets a created container run its command. */
    void start(ContainerID id) throws Exception;

    /**
     * A stage that completes with the raw {@code wait(2)} status of the container's command once
     * it has ended (for a command killed by a signal whose status could not be recorded, the
     * status of a SIGKILL). It completes exceptionally if the container is unknown, which it is
     * after {@link #destroy}: ask for this stage first, then destroy.
     */
    CompletionStage<Integer> exit(ContainerID id);

    /** Sends a signal to the container's command. */
    void kill(ContainerID id, int signal) throws Exception;

    /**
     * Kills every process of the container and releases what the launcher holds for it, after
     * which the launcher no longer knows the container. Returns once the processes are gone and
     * every pending {@link #exit} stage has completed ({@link ExitStages} keeps that promise for
     * a launcher). Idempotent; a container the launcher does not know is not an error.
     */
    void destroy(ContainerID id) throws Exception;

    /**
     * Reattaches to containers after an agent restart.
     *
     * @return containers the launcher finds on the host that are not in {@code containers}
     *         (orphans the core will destroy)
     */
    Set<ContainerID> recover(List<LaunchedContainer> containers) throws Exception;

    /** The launcher's part of the container's status (e.g. {@code executor_pid}). */
    default ContainerStatus status(ContainerID id) throws Exception {
        return ContainerStatus.getDefaultInstance();
    }
}
