package org.unicon.testkit.backend;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What a directory tree holds, one line per entry below its root, for comparing a provisioned
 * rootfs with another: type, mode (with setuid/setgid/sticky), owner, symlink target, device
 * number, content digest, extended attributes, and which entries are hardlinks of each other.
 * Times are left out (applying layers legitimately changes directory times), and so is the
 * root itself (its metadata is the backend's, not the image's). Never follows links.
 */
public final class FileTree {

    /** One entry: everything but its xattrs and hardlinks, then those. */
    private record Entry(String attributes, SortedMap<String, String> xattrs, String links) {
        @Override
        public String toString() {
            StringBuilder line = new StringBuilder(attributes);
            xattrs.forEach((name, value) -> line.append(" xattr:").append(name).append('=').append(value));
            return links.isEmpty() ? line.toString() : line.append(" links=").append(links).toString();
        }
    }

    private final SortedMap<String, Entry> entries;

    private FileTree(SortedMap<String, Entry> entries) {
        this.entries = entries;
    }

    /** Reads the tree under {@code root}. */
    public static FileTree of(Path root) throws IOException {
        SortedMap<String, Entry> entries = new TreeMap<>();
        Map<String, List<String>> inodes = new TreeMap<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (!dir.equals(root)) {
                    entries.put(root.relativize(dir).toString(), describe(dir, attrs));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                String name = root.relativize(file).toString();
                entries.put(name, describe(file, attrs));
                if ((Integer) Files.getAttribute(file, "unix:nlink", LinkOption.NOFOLLOW_LINKS) > 1) {
                    String inode = Files.getAttribute(file, "unix:dev", LinkOption.NOFOLLOW_LINKS) + ":"
                            + Files.getAttribute(file, "unix:ino", LinkOption.NOFOLLOW_LINKS);
                    inodes.computeIfAbsent(inode, k -> new ArrayList<>()).add(name);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        for (List<String> names : inodes.values()) {
            if (names.size() > 1) {
                for (String name : names) {
                    String others = names.stream().filter(n -> !n.equals(name)).sorted()
                            .collect(Collectors.joining(","));
                    Entry e = entries.get(name);
                    entries.put(name, new Entry(e.attributes(), e.xattrs(), others));
                }
            }
        }
        return new FileTree(entries);
    }

    /** This tree without the extended attributes whose names start with {@code prefix}. */
    public FileTree withoutXattrs(String prefix) {
        SortedMap<String, Entry> kept = new TreeMap<>();
        entries.forEach((name, e) -> {
            SortedMap<String, String> xattrs = new TreeMap<>(e.xattrs());
            xattrs.keySet().removeIf(x -> x.startsWith(prefix));
            kept.put(name, new Entry(e.attributes(), xattrs, e.links()));
        });
        return new FileTree(kept);
    }

    /** The relative paths in the tree, sorted. */
    public List<String> paths() {
        return List.copyOf(entries.keySet());
    }

    /** The entry's line ({@code null} when absent), e.g. {@code file 4755 0:0 sha256=…}. */
    public String entry(String path) {
        Entry e = entries.get(path);
        return e == null ? null : e.toString();
    }

    /** The extended attributes of the entry at {@code path} (empty when absent). */
    public SortedMap<String, String> xattrs(String path) {
        Entry e = entries.get(path);
        return e == null ? new TreeMap<>() : new TreeMap<>(e.xattrs());
    }

    /**
     * How this tree differs from {@code other}: one line per differing entry ({@code -} only
     * here, {@code +} only there), at most {@code limit} lines; empty when the trees are the same.
     */
    public String differences(FileTree other, int limit) {
        List<String> lines = new ArrayList<>();
        SortedMap<String, Entry> all = new TreeMap<>(entries);
        all.putAll(other.entries);
        for (String name : all.keySet()) {
            String mine = entry(name);
            String theirs = other.entry(name);
            if (!Objects.equals(mine, theirs)) {
                if (mine != null) {
                    lines.add("- " + name + ": " + mine);
                }
                if (theirs != null) {
                    lines.add("+ " + name + ": " + theirs);
                }
            }
        }
        int total = lines.size();
        if (total > limit) {
            lines = new ArrayList<>(lines.subList(0, limit));
            lines.add("... " + (total - limit) + " more");
        }
        return String.join("\n", lines);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FileTree t && t.entries.equals(entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    @Override
    public String toString() {
        return entries.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                .collect(Collectors.joining("\n"));
    }

    private static Entry describe(Path path, BasicFileAttributes attrs) throws IOException {
        int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        StringBuilder line = new StringBuilder(type(mode));
        line.append(' ').append(String.format("%04o", mode & 07777));
        line.append(' ').append(Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS))
                .append(':').append(Files.getAttribute(path, "unix:gid", LinkOption.NOFOLLOW_LINKS));
        if (attrs.isSymbolicLink()) {
            line.append(" ->").append(Files.readSymbolicLink(path));
        } else if (attrs.isRegularFile()) {
            line.append(" sha256=").append(sha256(path)).append(" size=").append(attrs.size());
        } else if (type(mode).equals("char") || type(mode).equals("block")) {
            line.append(" rdev=").append(Files.getAttribute(path, "unix:rdev", LinkOption.NOFOLLOW_LINKS));
        }
        return new Entry(line.toString(), Xattrs.read(path), "");
    }

    private static String type(int mode) {
        return switch (mode & 0170000) {
            case 0040000 -> "dir";
            case 0100000 -> "file";
            case 0120000 -> "symlink";
            case 0010000 -> "fifo";
            case 0020000 -> "char";
            case 0060000 -> "block";
            case 0140000 -> "socket";
            default -> "unknown";
        };
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[65536];
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String printable(byte[] value) {
        for (byte b : value) {
            if (b < 0x20 || b > 0x7e) {
                return "0x" + HexFormat.of().formatHex(value);
            }
        }
        return new String(value, StandardCharsets.US_ASCII);
    }
}
