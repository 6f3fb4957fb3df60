package org.unicon.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.unicon.layers.internal.Posix;

/**
 * moby's breakout harness (pkg/archive utils_test.go testBreakout): a temp dir with {@code root/}
 * and a sibling {@code victim/hello}. Everything outside {@code root/} is snapshotted (type, mode,
 * owner, link count, mtime, content, xattrs) before a case and compared after it.
 */
final class Harness {

    final Path base;
    final Path root;
    final Path victim;
    final Path hello;
    private final Map<String, String> before;

    Harness(Path tmp) throws IOException {
        base = tmp;
        root = Files.createDirectory(tmp.resolve("root"));
        victim = Files.createDirectory(tmp.resolve("victim"));
        hello = Files.writeString(victim.resolve("hello"), "hello");
        before = outside();
    }

    Extracted extract(byte[] layer) throws IOException {
        return extract(layer, ExtractOptions.defaults());
    }

    Extracted extract(byte[] layer, ExtractOptions options) throws IOException {
        return LayerExtractor.extract(new ByteArrayInputStream(layer), root, options);
    }

    /** Extraction must fail with InvalidLayerException, leave root empty and everything else as it was. */
    InvalidLayerException rejects(byte[] layer) throws IOException {
        return rejects(layer, ExtractOptions.defaults());
    }

    InvalidLayerException rejects(byte[] layer, ExtractOptions options) throws IOException {
        InvalidLayerException e = assertThrows(InvalidLayerException.class, () -> extract(layer, options));
        try (Stream<Path> s = Files.list(root)) {
            assertEquals(List.of(), s.toList(), "partial output must be removed after: " + e.getMessage());
        }
        assertOutsideUntouched();
        return e;
    }

    void assertOutsideUntouched() throws IOException {
        assertEquals(before, outside(), "nothing outside root/ may be created, changed or deleted");
    }

    private Map<String, String> outside() throws IOException {
        Map<String, String> snap = new TreeMap<>();
        try (Stream<Path> s = Files.walk(base)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (p.equals(root)) {
                    snap.put("root", Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "directory" : "not a directory");
                } else if (!p.startsWith(root)) {
                    snap.put(base.relativize(p).toString(), describe(p, true));
                }
            }
        }
        return snap;
    }

    /** Type, mode, owner, link count, mtime (if asked), content or link target or device, xattrs. */
    static String describe(Path p, boolean withTimes) {
        try {
            Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,nlink,lastModifiedTime,size,rdev",
                    LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) a.get("mode");
            StringBuilder sb = new StringBuilder(Integer.toOctalString(mode)).append(' ')
                    .append(a.get("uid")).append(':').append(a.get("gid")).append(" n=").append(a.get("nlink"));
            if (withTimes) {
                sb.append(" t=").append(a.get("lastModifiedTime"));
            }
            int type = mode & 0170000;
            if (type == 0100000) {
                sb.append(" sha=").append(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                        .digest(Files.readAllBytes(p))));
            } else if (type == 0120000) {
                sb.append(" -> ").append(Files.readSymbolicLink(p));
            } else if (type == 0020000 || type == 0060000) {
                sb.append(" rdev=").append(a.get("rdev"));
            }
            for (String x : Posix.llistxattr(p)) {
                sb.append(' ').append(x).append('=').append(new String(Posix.lgetxattr(p, x), StandardCharsets.ISO_8859_1));
            }
            return sb.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code stat -c FORMAT} of a path (the link itself), as a user would check. */
    static String stat(Path p, String format) throws IOException, InterruptedException {
        Process proc = new ProcessBuilder("stat", "-c", format, p.toString()).redirectErrorStream(true).start();
        String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        proc.waitFor();
        return out;
    }

    /** An xattr of the path itself read by Python's os.getxattr, or null when absent. */
    static String xattr(Path p, String name) throws IOException, InterruptedException {
        Process proc = new ProcessBuilder("python3", "-c",
                "import os,sys\ntry:\n print(os.getxattr(sys.argv[1], sys.argv[2], follow_symlinks=False).hex())\n"
                        + "except OSError:\n print('<absent>')", p.toString(), name)
                .redirectErrorStream(true).start();
        String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        proc.waitFor();
        return out.equals("<absent>") ? null
                : new String(HexFormat.of().parseHex(out), StandardCharsets.ISO_8859_1);
    }

    /** A recursive description of a tree: relative path → {@link #describe}, hard links grouped by inode. */
    static Map<String, String> tree(Path dir) throws IOException {
        Map<String, String> snap = new TreeMap<>();
        Map<Object, String> inodes = new java.util.HashMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted()::iterator) {
                String rel = dir.relativize(p).toString();
                boolean isDir = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
                // a directory's link count is file-system detail (overlayfs reports 1 for merged ones)
                String d = describe(p, !isDir);
                if (isDir) {
                    d = d.replaceFirst(" n=\\d+", "");
                }
                Object ino = Files.getAttribute(p, "unix:ino", LinkOption.NOFOLLOW_LINKS);
                if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) && (Integer) Files.getAttribute(p, "unix:nlink",
                        LinkOption.NOFOLLOW_LINKS) > 1) {
                    d += " linkgroup=" + inodes.computeIfAbsent(ino, k -> rel);
                }
                snap.put(rel.isEmpty() ? "." : rel, d);
            }
        }
        return snap;
    }
}
