package org.unicon.isolator.namespaces.internal;

import java.util.Optional;

import org.unicon.isolator.ContainerContext;
import org.unicon.isolator.Isolator;
import org.unicon.model.ContainerLaunchInfo;

/**
 * Puts every container in a new namespace of one kind: its contribution is that CLONE_NEW* flag,
 * nothing else. The namespace lives and dies with the container's processes, so there is nothing
 * to recover or clean up. The launcher creates the namespace (the posix launcher refuses
 * namespaces; the linux launcher turns the flag into an OCI namespace).
 */
final class NamespaceIsolator implements Isolator {
    /** CLONE_NEWPID: the container's init is pid 1 and sees only the container's processes. */
    static final int CLONE_NEWPID = 0x20000000;
    /** CLONE_NEWIPC: System V IPC objects and POSIX message queues of its own. */
    static final int CLONE_NEWIPC = 0x08000000;

    private final int flag;

    NamespaceIsolator(int flag) {
        this.flag = flag;
    }

    static NamespaceIsolator pid() {
        return new NamespaceIsolator(CLONE_NEWPID);
    }

    static NamespaceIsolator ipc() {
        return new NamespaceIsolator(CLONE_NEWIPC);
    }

    @Override
    public Optional<ContainerLaunchInfo> prepare(ContainerContext container) {
        return Optional.of(ContainerLaunchInfo.newBuilder().addCloneNamespaces(flag).build());
    }
}
