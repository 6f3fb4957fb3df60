package org.unicon.backend.overlay.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Hides whiteouts that overlayfs would list. Overlay filters whiteouts only when it reads a
 * merged directory; a directory that comes from a single layer is read straight from that
 * layer, so a whiteout of something no lower layer has (legal in an image: a directory that
 * replaced a symlink, or an opaque directory, with whiteouts inside) shows up as a name that
 * cannot be stat'ed. Such a directory is made merged the way overlay itself would: a no-op
 * chmod through the mount copies it up (metadata only; owner, mode, times and xattrs are
 * kept), after which its listing is filtered. Layers are never touched.
 *
 * <p>Only the directories where some layer has a whiteout can show one, so only those are
 * looked at ({@link LayerWhiteouts}): an image without whiteouts costs nothing, whatever its size.
 */
final class PhantomWhiteouts {

    private PhantomWhiteouts() {
    }

    /**
     * Looks at the mounted {@code rootfs} where the layers have whiteouts ({@code whiteouts},
     * relative paths); returns the directories it had to copy up.
     */
    static Set<Path> hide(Path rootfs, Collection<Path> whiteouts) throws IOException {
        Set<Path> copiedUp = new LinkedHashSet<>();
        Map<Path, Set<String>> listings = new HashMap<>();
        for (Path whiteout : whiteouts) {
            Path parent = whiteout.getParent();
            Path dir = parent == null ? rootfs : rootfs.resolve(parent);
            if (copiedUp.contains(dir) || !reachableDirectory(rootfs, parent)) {
                continue; // done, or not in the merged tree there (e.g. replaced by a file or a link)
            }
            Set<String> names = listings.get(dir);
            if (names == null) {
                try (Stream<Path> entries = Files.list(dir)) {
                    names = entries.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(HashSet::new));
                }
                listings.put(dir, names);
            }
            Path entry = dir.resolve(whiteout.getFileName().toString());
            if (names.contains(entry.getFileName().toString()) && !Files.exists(entry, LinkOption.NOFOLLOW_LINKS)) {
                int mode = (Integer) Files.getAttribute(dir, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
                if (LibC.INSTANCE.chmod(dir.toString(), mode) != 0) {
                    throw new IOException("cannot copy up " + dir + " to hide its whiteouts: "
                            + LibC.describe(LibC.errno()));
                }
                copiedUp.add(dir);
            }
        }
        return copiedUp;
    }

    /**
     * Whether {@code relative} is a directory in the merged tree, reached without following a
     * symbolic link (each component is checked in turn, so nothing resolves outside the rootfs).
     */
    private static boolean reachableDirectory(Path rootfs, Path relative) {
        Path current = rootfs;
        if (relative == null) {
            return true;
        }
        for (Path component : relative) {
            current = current.resolve(component.toString());
            if (!Files.isDirectory(current, LinkOption.NOFOLLOW_LINKS)) {
                return false;
            }
        }
        return true;
    }
}
