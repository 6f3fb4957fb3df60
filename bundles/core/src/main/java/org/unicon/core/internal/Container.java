package org.unicon.core.internal;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.unicon.model.ContainerCheckpoint;
import org.unicon.model.ContainerConfig;
import org.unicon.model.ContainerID;
import org.unicon.model.ContainerLimitation;
import org.unicon.model.ContainerState;
import org.unicon.model.ContainerTermination;

/**
 * One container's in-memory state. Fields change under the container's monitor; the
 * termination future completes exactly once, after everything of the container is gone.
 */
final class Container {
    final ContainerID id;
    final String name;
    final CompletableFuture<ContainerTermination> termination = new CompletableFuture<>();
    /** Held while a launch runs its steps; a destroy waits for it, so the two never interleave. */
    final Object lifecycle = new Object();

    ContainerState state;
    ContainerCheckpoint checkpoint;
    ContainerConfig config;
    Long pid;
    boolean rootfsProvisioned;
    /** Why the container is being destroyed, when the core decided it (not the command's exit). */
    String destroyMessage;
    ContainerLimitation limitation;
    boolean killRequested;
    boolean launchFailed;
    /**
     * Why the core is destroying the container (state, reason, message), checkpointed as
     * {@code destroying} before anything is killed; null while it runs or when its command's
     * own exit ends it.
     */
    ContainerTermination cause;
    CompletableFuture<ContainerTermination> destroying;
    /** The isolator services whose limitations are watched (by identity). */
    final Set<Object> watched = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

    Container(ContainerID id, ContainerState state) {
        this.id = id;
        this.name = id.getValue();
        this.state = state;
    }

    synchronized ContainerState state() {
        return state;
    }

    synchronized void state(ContainerState next) {
        state = next;
    }

    synchronized boolean terminated() {
        return state == ContainerState.TERMINATED;
    }

    /** The isolators that were asked to prepare this container, in prepare order. */
    synchronized List<ContainerCheckpoint.Plugin> isolators() {
        return checkpoint == null ? List.of() : checkpoint.getIsolatorsList();
    }
}
