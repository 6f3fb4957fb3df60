package org.unicon.testkit.backend;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The images the conformance suite provisions, and the two ways to materialise them: as store
 * layers in overlay form, and as an OCI image built and unpacked by {@code umoci} (the
 * reference result). The trust.md §1.4 case numbers are noted where an entry exercises one.
 */
public final class ConformanceImages {

    private static final Path BUSYBOX = Path.of("/bin/busybox");

    private ConformanceImages() {
    }

    /** One layer holding one of every kind of entry a layer can carry (no whiteouts). */
    public static LayerBuilder everyKind() {
        byte[] binary = new byte[256];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) i;
        }
        return new LayerBuilder()
                .dir("etc").file("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n")
                .dir("tmp", 01777, 0, 0)
                .dir("home/user", 0700, 1000, 1000)
                .file("home/user/notes", "notes\n".getBytes(), 0640, 1000, 1000)
                .symlink("home/user/link", "notes", 1000, 1000)
                .file("usr/bin/suid", "suid\n".getBytes(), 04755, 0, 0)
                .file("usr/bin/sgid", "sgid\n".getBytes(), 02755, 0, 50)
                .hardlink("usr/bin/suid-again", "usr/bin/suid")
                .dir("usr/lib").symlink("lib64", "usr/lib")
                .dir("data", 0751, 0, 0)
                .file("data/empty", "")
                .file("data/binary", binary, 0600, 0, 0)
                .hardlink("data/hard", "data/binary")
                .file("data/with space and ünïcode", "x\n")
                .symlink("data/relative", "binary")
                .symlink("data/absolute", "/etc/passwd")
                .symlink("data/dangling", "missing")
                .fifo("run/fifo", 0600)
                .dir("secret", 0000, 0, 0).file("secret/inside", "hidden\n".getBytes(), 0000, 0, 0)
                .file("a/b/c/d/e/f/deep", "deep\n")
                .xattr("data/binary", "user.test", "value")
                .xattr("data", "user.dir", "yes");
    }

    /** A busybox rootfs from Debian's busybox-static: the binary, one symlink per applet, /etc. */
    public static LayerBuilder busybox() throws IOException {
        if (!Files.isRegularFile(BUSYBOX)) {
            throw new IOException(BUSYBOX + " is missing: install the Debian package busybox-static");
        }
        LayerBuilder layer = new LayerBuilder()
                .dir("bin").file("bin/busybox", Files.readAllBytes(BUSYBOX), 0755, 0, 0)
                .dir("etc")
                .file("etc/passwd", "root:x:0:0:root:/root:/bin/sh\nuser:x:1000:1000::/home/user:/bin/sh\n")
                .file("etc/group", "root:x:0:\nuser:x:1000:\n")
                .dir("tmp", 01777, 0, 0).dir("root", 0700, 0, 0)
                .dir("dev").dir("proc").dir("sys").dir("home");
        for (String applet : Commands.run(List.of(BUSYBOX.toString(), "--list")).split("\n")) {
            if (!applet.isBlank() && !applet.equals("busybox")) {
                layer.symlink("bin/" + applet.strip(), "busybox");
            }
        }
        return layer;
    }

    /**
     * Three layers (busybox, then two that change it) with whiteouts, an opaque directory,
     * hardlinks, symlinks, type changes, owners, setuid and xattrs. Lower symlinks point at
     * {@code victim}, a directory outside every rootfs that must stay untouched.
     */
    public static List<LayerBuilder> whiteoutImage(Path victim) throws IOException {
        String outside = victim.toAbsolutePath().toString();
        LayerBuilder second = new LayerBuilder()
                .dir("data")
                .file("data/keep.txt", "keep\n").xattr("data/keep.txt", "user.origin", "l2")
                .file("data/delete-me.txt", "bye\n")
                .file("data/hl-a", "shared\n").hardlink("data/hl-b", "data/hl-a")
                .symlink("data/link", "keep.txt")
                .file("opq/old1", "1\n").file("opq/old2", "2\n").file("opq/sub/old3", "3\n")
                .file("sbin/suid", "suid\n".getBytes(), 04755, 0, 0)
                .dir("home/user", 0700, 1000, 1000)
                .file("home/user/file", "mine\n".getBytes(), 0640, 1000, 1000)
                .fifo("run/fifo", 0644)
                .symlink("conf", outside)          // case 7
                .symlink("localetc", outside)      // case 12
                .symlink("gone", outside)          // case 13
                .file("uo/lowerfile", "lower\n")
                .file("replaced/inner", "inner\n")
                .file("becomes-dir", "file\n")
                .file("bin/tool", "v1\n");
        LayerBuilder third = new LayerBuilder()
                .dir("data")
                .whiteout("data/delete-me.txt")
                .file("data/added.txt", "added\n")
                .dir("opq").opaque("opq")
                .file("opq/new1", "new\n").file("opq/sub/new2", "new2\n")   // case 14
                .dir("conf").file("conf/x", "x\n").whiteout("conf/y")       // case 7
                .hardlink("conf/z", "data/added.txt")
                .dir("localetc").whiteout("localetc/x")                     // case 12
                .whiteout("gone")                                           // case 13
                .dir("uo").xattr("uo", "user.note", "merged")              // a merged directory
                .file("uo/upperfile", "upper\n")
                .file("replaced", "now a file\n")
                .file("becomes-dir/inner", "inner\n")
                .file("bin/tool", "v2\n".getBytes(), 0755, 0, 0)
                .whiteout("bin/vi");
        return List.of(busybox(), second, third);
    }

    /** Writes {@code layers} in overlay form as {@code dir/1}, {@code dir/2}, ...; base first. */
    public static List<Path> writeOverlayForm(List<LayerBuilder> layers, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            written.add(layers.get(i).writeOverlayForm(dir.resolve(Integer.toString(i + 1))));
        }
        return written;
    }

    /**
     * Builds an OCI image of {@code layers} with umoci under {@code work} (created; must not
     * exist) and unpacks it with {@code umoci unpack}; returns the unpacked rootfs. The caller
     * deletes {@code work}.
     */
    public static Path umociUnpack(List<LayerBuilder> layers, Path work) throws IOException {
        Files.createDirectory(work);
        String image = work.resolve("oci") + ":latest";
        Commands.run(List.of("umoci", "init", "--layout", work.resolve("oci").toString()));
        Commands.run(List.of("umoci", "new", "--image", image));
        for (int i = 0; i < layers.size(); i++) {
            Path tar = layers.get(i).writeTar(work.resolve("layer-" + (i + 1) + ".tar"),
                    work.resolve("staging-" + (i + 1)));
            Commands.run(List.of("umoci", "raw", "add-layer", "--image", image, tar.toString()));
        }
        Path bundle = work.resolve("bundle");
        Commands.run(List.of("umoci", "unpack", "--image", image, bundle.toString()));
        return bundle.resolve("rootfs");
    }
}
