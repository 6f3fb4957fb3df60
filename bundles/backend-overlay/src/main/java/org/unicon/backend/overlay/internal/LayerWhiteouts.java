package org.unicon.backend.overlay.internal;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a stored layer has whiteouts (character devices 0/0, overlay form), relative to the
 * layer. A layer never changes once stored (the store writes it once and only ever deletes it),
 * so each is walked once per backend and remembered — keyed by its path and the identity and
 * modification time of its directory, so that a layer deleted and stored again is walked again.
 * Provisioning then looks for phantom whiteouts only where a layer has whiteouts, instead of
 * walking the whole merged root filesystem for every container.
 */
final class LayerWhiteouts {

    private static final int S_IFMT = 0170000;
    private static final int S_IFCHR = 0020000;

    private record Key(Path layer, Object fileKey, long modified) {
    }

    private final Map<Key, List<Path>> known = new ConcurrentHashMap<>();

    /** The whiteouts of {@code layer}, relative to it. */
    List<Path> of(Path layer) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(layer, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        Key key = new Key(layer.toAbsolutePath().normalize(), Objects.requireNonNullElse(attributes.fileKey(), ""),
                attributes.lastModifiedTime().toMillis());
        List<Path> whiteouts = known.get(key);
        if (whiteouts == null) {
            whiteouts = List.copyOf(scan(layer));
            known.put(key, whiteouts);
        }
        return whiteouts;
    }

    private static List<Path> scan(Path layer) throws IOException {
        List<Path> found = new ArrayList<>();
        Files.walkFileTree(layer, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (attrs.isOther() && isWhiteout(file)) {
                    found.add(layer.relativize(file));
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return found;
    }

    private static boolean isWhiteout(Path file) throws IOException {
        Map<String, Object> unix = Files.readAttributes(file, "unix:mode,rdev", LinkOption.NOFOLLOW_LINKS);
        return ((Integer) unix.get("mode") & S_IFMT) == S_IFCHR && ((Long) unix.get("rdev")) == 0;
    }
}
