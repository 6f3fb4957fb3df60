package org.unicon.testkit.backend;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Describes one image layer entry by entry and writes it in either form a test needs:
 * <ul>
 * <li>{@link #writeOverlayForm} — as the image store keeps layers: a whiteout is a character
 * device 0/0, an opaque directory carries {@code trusted.overlay.opaque=y};</li>
 * <li>{@link #writeTar} — as an OCI layer tar: {@code .wh.<name>} and {@code .wh..wh..opq}
 * files, for {@code umoci} to build and unpack the same image as a reference.</li>
 * </ul>
 * Parent directories that are not declared are created 0755, owned by root. Owners and modes
 * are set after the entries exist, owner first (chown clears setuid bits). Paths are relative,
 * separated by {@code /}. Writing needs root (owners, device nodes, trusted xattrs).
 */
public final class LayerBuilder {

    private enum Kind { DIR, FILE, SYMLINK, HARDLINK, FIFO, WHITEOUT }

    private record Entry(Kind kind, String path, byte[] content, String target, int mode, int uid, int gid) {
    }

    private final List<Entry> entries = new ArrayList<>();
    private final List<String> opaque = new ArrayList<>();
    private final Map<String, Map<String, String>> xattrs = new LinkedHashMap<>();

    public LayerBuilder dir(String path) {
        return dir(path, 0755, 0, 0);
    }

    public LayerBuilder dir(String path, int mode, int uid, int gid) {
        entries.add(new Entry(Kind.DIR, path, null, null, mode, uid, gid));
        return this;
    }

    public LayerBuilder file(String path, String content) {
        return file(path, content.getBytes(StandardCharsets.UTF_8), 0644, 0, 0);
    }

    public LayerBuilder file(String path, byte[] content, int mode, int uid, int gid) {
        entries.add(new Entry(Kind.FILE, path, content.clone(), null, mode, uid, gid));
        return this;
    }

    public LayerBuilder symlink(String path, String target) {
        return symlink(path, target, 0, 0);
    }

    public LayerBuilder symlink(String path, String target, int uid, int gid) {
        entries.add(new Entry(Kind.SYMLINK, path, null, target, 0777, uid, gid));
        return this;
    }

    /** A second name for {@code existing}, an entry declared earlier in this layer. */
    public LayerBuilder hardlink(String path, String existing) {
        entries.add(new Entry(Kind.HARDLINK, path, null, existing, 0, 0, 0));
        return this;
    }

    public LayerBuilder fifo(String path, int mode) {
        entries.add(new Entry(Kind.FIFO, path, null, null, mode, 0, 0));
        return this;
    }

    /** Deletes {@code path} from the layers below. */
    public LayerBuilder whiteout(String path) {
        entries.add(new Entry(Kind.WHITEOUT, path, null, null, 0, 0, 0));
        return this;
    }

    /** Hides what the layers below have in directory {@code path} (declared in this layer). */
    public LayerBuilder opaque(String path) {
        opaque.add(path);
        return this;
    }

    public LayerBuilder xattr(String path, String name, String value) {
        xattrs.computeIfAbsent(path, p -> new LinkedHashMap<>()).put(name, value);
        return this;
    }

    /** Writes the layer as the store keeps it, into {@code dir} (created; must not exist). */
    public Path writeOverlayForm(Path dir) throws IOException {
        write(dir, true);
        return dir;
    }

    /**
     * Writes the layer as an uncompressed OCI layer tar (GNU tar, POSIX format, numeric owners,
     * user xattrs) at {@code tar}, staging its files in {@code staging} (created; must not exist).
     */
    public Path writeTar(Path tar, Path staging) throws IOException {
        write(staging, false);
        List<String> command = new ArrayList<>(List.of("tar", "--create", "--file", tar.toString(),
                "--numeric-owner", "--format=posix", "--xattrs", "--xattrs-include=user.*", "--sort=name",
                "--mtime=@0", "--pax-option=delete=atime,delete=ctime", "-C", staging.toString()));
        try (var names = Files.list(staging)) {
            names.map(p -> p.getFileName().toString()).sorted().forEach(command::add);
        }
        Commands.run(command);
        return tar;
    }

    private void write(Path root, boolean overlayForm) throws IOException {
        Files.createDirectory(root);
        for (Entry e : entries) {
            Path path = resolve(root, e.path());
            Files.createDirectories(path.getParent());
            switch (e.kind()) {
                case DIR -> Files.createDirectories(path);
                case FILE -> Files.write(path, e.content());
                case SYMLINK -> Files.createSymbolicLink(path, Path.of(e.target()));
                case HARDLINK -> Files.createLink(path, resolve(root, e.target()));
                case FIFO -> mknod(path, LibC.S_IFIFO | e.mode());
                case WHITEOUT -> {
                    if (overlayForm) {
                        mknod(path, LibC.S_IFCHR);
                    } else {
                        Files.createFile(path.resolveSibling(".wh." + path.getFileName()));
                    }
                }
            }
        }
        for (String dir : opaque) {
            Path path = resolve(root, dir);
            if (overlayForm) {
                setXattr(path, "trusted.overlay.opaque", "y");
            } else {
                Files.createFile(path.resolve(".wh..wh..opq"));
            }
        }
        for (Entry e : entries) {
            Path path = resolve(root, e.path());
            if (e.kind() == Kind.HARDLINK || e.kind() == Kind.WHITEOUT) {
                continue;
            }
            Files.setAttribute(path, "unix:uid", e.uid(), LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(path, "unix:gid", e.gid(), LinkOption.NOFOLLOW_LINKS);
            if (e.kind() != Kind.SYMLINK) {
                chmod(path, e.mode());
            }
        }
        for (Map.Entry<String, Map<String, String>> file : xattrs.entrySet()) {
            for (Map.Entry<String, String> x : file.getValue().entrySet()) {
                setXattr(resolve(root, file.getKey()), x.getKey(), x.getValue());
            }
        }
    }

    private static Path resolve(Path root, String relative) {
        Path path = root.resolve(relative).normalize();
        if (!path.startsWith(root) || path.equals(root)) {
            throw new IllegalArgumentException("layer entry '" + relative + "' is not below the layer root");
        }
        return path;
    }

    private static void mknod(Path path, int mode) throws IOException {
        if (LibC.INSTANCE.mknod(path.toString(), mode, 0) != 0) {
            throw new IOException("cannot create node " + path + ": " + LibC.lastError());
        }
    }

    private static void chmod(Path path, int mode) throws IOException {
        if (LibC.INSTANCE.chmod(path.toString(), mode) != 0) {
            throw new IOException("cannot chmod " + path + ": " + LibC.lastError());
        }
    }

    static void setXattr(Path path, String name, String value) throws IOException {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (LibC.INSTANCE.lsetxattr(path.toString(), name, bytes, bytes.length, 0) != 0) {
            throw new IOException("cannot set xattr " + name + " on " + path + ": " + LibC.lastError());
        }
    }
}
