package org.unicon.isolator.filesystem.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Paths inside a container. {@link #resolve} follows the image's symlinks the way the kernel
 * will once the rootfs is the container's root (an absolute link target starts again at the
 * rootfs), looking only at entries below the rootfs, so that a volume's target is known and
 * checked before anything is mounted.
 */
final class ContainerPaths {
    private static final int MAX_SYMLINKS = 40; // the kernel's limit (ELOOP)

    private ContainerPaths() {}

    /**
     * Removes empty and {@code .} components and trailing slashes; refuses {@code ..}, which
     * could only climb out of where the path is meant to be.
     */
    static String normalize(String path, String what) {
        if (path.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(what + " '" + path + "' contains a NUL character");
        }
        List<String> parts = new ArrayList<>();
        for (String part : path.split("/")) {
            if (part.equals("..")) {
                throw new IllegalArgumentException(what + " '" + path + "' contains '..'; give a path without it");
            }
            if (!part.isEmpty() && !part.equals(".")) {
                parts.add(part);
            }
        }
        String joined = String.join("/", parts);
        return path.startsWith("/") ? "/" + joined : joined.isEmpty() ? "." : joined;
    }

    /**
     * The absolute path inside the container that {@code containerPath} (absolute, normalised)
     * designates, with the image's symlinks resolved against {@code rootfs}. Missing components
     * are fine (the launcher creates mount points). Refused: a symlink whose target climbs above
     * the root, a component that is a file in the image but has more path below it, and too
     * many symlinks.
     */
    static String resolve(Path rootfs, String containerPath, String what) throws IOException {
        Deque<String> todo = new ArrayDeque<>(List.of(containerPath.split("/")));
        Deque<String> resolved = new ArrayDeque<>();
        int links = 0;
        while (!todo.isEmpty()) {
            String part = todo.pop();
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (resolved.isEmpty()) {
                    throw new IllegalArgumentException(what + " '" + containerPath + "' escapes the container's"
                            + " root filesystem through a symlink in the image");
                }
                resolved.removeLast();
                continue;
            }
            Path host = hostPath(rootfs, resolved).resolve(part);
            if (Files.isSymbolicLink(host)) {
                if (++links > MAX_SYMLINKS) {
                    throw new IllegalArgumentException(what + " '" + containerPath + "' goes through more than "
                            + MAX_SYMLINKS + " symlinks in the image");
                }
                String target = Files.readSymbolicLink(host).toString();
                List<String> targetParts = List.of(target.split("/"));
                for (int i = targetParts.size() - 1; i >= 0; i--) {
                    todo.push(targetParts.get(i));
                }
                if (target.startsWith("/")) {
                    resolved.clear();
                }
                continue;
            }
            if (Files.exists(host, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(host, LinkOption.NOFOLLOW_LINKS)
                    && todo.stream().anyMatch(p -> !p.isEmpty() && !p.equals("."))) {
                throw new IllegalArgumentException(what + " '" + containerPath + "' goes through '/"
                        + String.join("/", resolved) + (resolved.isEmpty() ? "" : "/") + part
                        + "', which is not a directory in the image");
            }
            resolved.addLast(part);
        }
        return "/" + String.join("/", resolved);
    }

    private static Path hostPath(Path rootfs, Deque<String> parts) {
        Path path = rootfs;
        for (String part : parts) {
            path = path.resolve(part);
        }
        return path;
    }
}
