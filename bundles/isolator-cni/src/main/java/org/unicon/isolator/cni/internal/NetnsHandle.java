package org.unicon.isolator.cni.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import org.unicon.hostfs.MountTable;
import org.unicon.hostfs.Unmounter;

/**
 * A container's network namespace kept as a bind mount of {@code /proc/<pid>/ns/net} on a file
 * of network/cni's directory, as {@code ip netns} does under /run/netns: the namespace then
 * outlives the agent and even the container's processes, until cleanup unmounts it, so that DEL
 * can still reach the container's interfaces.
 */
final class NetnsHandle {
    private NetnsHandle() {
    }

    /**
     * Binds the network namespace of {@code pid} to {@code handle}. Refuses a process that shares
     * the agent's own network namespace: joining it to a network would rewire the host.
     */
    static void bind(String container, long pid, Path handle) throws IOException {
        Path ns = Path.of("/proc", Long.toString(pid), "ns", "net");
        Object own = identity(Path.of("/proc/self/ns/net"));
        Object theirs;
        try {
            theirs = identity(ns);
        } catch (NoSuchFileException e) {
            throw new IOException("container '" + container + "': its process " + pid + " is gone, so its network"
                    + " namespace cannot be kept", e);
        }
        if (own.equals(theirs)) {
            throw new IOException("container '" + container + "' (process " + pid + ") shares the agent's network"
                    + " namespace: the launcher did not give it one of its own (network/cni needs a launcher that"
                    + " honours CLONE_NEWNET, such as linux)");
        }
        if (isMounted(handle)) {
            return; // bound already (isolate is being repeated after a restart)
        }
        if (!Files.exists(handle)) {
            Files.createFile(handle);
        }
        if (LibC.INSTANCE.mount(ns.toString(), handle.toString(), null, LibC.MS_BIND, null) != 0) {
            throw new IOException("container '" + container + "': cannot bind its network namespace " + ns + " to "
                    + handle + ": " + LibC.lastError());
        }
    }

    /** Whether {@code handle} holds a namespace (after a reboot it is a plain, empty file). */
    static boolean isMounted(Path handle) throws IOException {
        return !MountTable.mountPointsAtOrUnder(handle).isEmpty();
    }

    /** Unmounts the handle (the namespace goes once no process is in it) and deletes the file. */
    static void release(Path handle) throws IOException {
        Unmounter.unmountAll(handle);
        Files.deleteIfExists(handle);
    }

    /** A namespace's identity: the device and inode of its nsfs file. */
    private static Object identity(Path ns) throws IOException {
        return java.util.List.of(Files.getAttribute(ns, "unix:dev"), Files.getAttribute(ns, "unix:ino"));
    }
}
