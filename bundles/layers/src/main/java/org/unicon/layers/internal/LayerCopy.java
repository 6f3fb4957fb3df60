package org.unicon.layers.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One application of a stored layer onto a root file system (see {@code LayerApplier#apply}).
 * Walks the layer top-down; every directory of {@code rootfs} it enters was either created here
 * or lstat'ed as a real directory just before, so no symbolic link is ever traversed, and every
 * new node is created with a call that does not follow a link in its last component.
 */
public final class LayerCopy {

    private final Path layer;
    private final Path rootfs;
    private final boolean root = Posix.geteuid() == 0;
    private final Map<List<Long>, Path> linked = new HashMap<>();
    private final List<Path[]> directories = new ArrayList<>();

    public LayerCopy(Path layer, Path rootfs) {
        this.layer = layer.toAbsolutePath().normalize();
        this.rootfs = rootfs.toAbsolutePath().normalize();
    }

    public void run() throws IOException {
        NodeInfo l = NodeInfo.lstat(layer);
        if (l == null || !l.isDirectory()) {
            throw new IOException("layer '" + layer + "' is not a directory");
        }
        NodeInfo r = NodeInfo.lstat(rootfs);
        if (r == null || !r.isDirectory()) {
            throw new IOException("root file system '" + rootfs + "' is not a directory");
        }
        if (Xattrs.isOpaque(layer)) {
            FileTree.deleteContents(rootfs);
        }
        metadata(layer, rootfs, l, false);
        directories.add(new Path[] {layer, rootfs});
        copyChildren(layer, rootfs);
        for (int i = directories.size() - 1; i >= 0; i--) {
            Path[] d = directories.get(i);
            NodeInfo info = NodeInfo.lstat(d[0]);
            Posix.chmod(d[1], info.permissions());
            times(d[1], info);
        }
    }

    private void copyChildren(Path from, Path to) throws IOException {
        try (DirectoryStream<Path> children = Files.newDirectoryStream(from)) {
            for (Path l : children) {
                copy(l, to.resolve(l.getFileName().toString()));
            }
        }
    }

    private void copy(Path l, Path r) throws IOException {
        NodeInfo li = NodeInfo.lstat(l);
        NodeInfo ri = NodeInfo.lstat(r);
        if (li.isWhiteout()) {
            if (ri != null) {
                FileTree.delete(r);
            }
            return;
        }
        if (li.isDirectory()) {
            if (ri != null && ri.isDirectory()) {
                if (Xattrs.isOpaque(l)) {
                    FileTree.deleteContents(r);
                }
            } else {
                if (ri != null) {
                    FileTree.delete(r);
                }
                Files.createDirectory(r);
            }
            metadata(l, r, li, false);
            directories.add(new Path[] {l, r});
            copyChildren(l, r);
            return;
        }
        if (ri != null) {
            FileTree.delete(r);
        }
        if (li.nlink() > 1) {
            List<Long> inode = List.of(li.dev(), li.ino());
            Path first = linked.get(inode);
            if (first != null) {
                Files.createLink(r, first);
                return;
            }
            linked.put(inode, r);
        }
        switch (li.type()) {
            case Posix.S_IFREG:
                Files.copy(l, r, LinkOption.NOFOLLOW_LINKS); // the target is opened O_CREAT|O_EXCL
                break;
            case Posix.S_IFLNK:
                Posix.symlink(Posix.readlink(l), r);
                break;
            case Posix.S_IFCHR:
            case Posix.S_IFBLK:
            case Posix.S_IFIFO:
                Posix.mknod(r, li.type(), li.permissions(), li.major(), li.minor());
                break;
            default:
                return; // sockets are not image content
        }
        boolean symlink = li.isSymlink();
        metadata(l, r, li, symlink);
        if (!symlink) {
            Posix.chmod(r, li.permissions());
        }
        times(r, li);
    }

    /** Owner first (chown clears setuid and file capabilities), then xattrs; mode and times follow. */
    private void metadata(Path l, Path r, NodeInfo li, boolean symlink) throws IOException {
        if (root) {
            Posix.lchown(r, li.uid(), li.gid());
        }
        for (String name : Posix.llistxattr(l)) {
            if (Xattrs.forbidden(name)) {
                continue;
            }
            byte[] value = Posix.lgetxattr(l, name);
            if (value == null) {
                continue;
            }
            int errno = Posix.lsetxattr(r, name, value);
            if (errno != 0 && errno != Posix.ENOTSUP && errno != Posix.EPERM) {
                throw new IOException("cannot copy xattr '" + name + "' to '" + r + "' (errno " + errno + ")");
            }
        }
    }

    private static void times(Path r, NodeInfo li) throws IOException {
        java.time.Instant a = li.atime().toInstant();
        java.time.Instant m = li.mtime().toInstant();
        Posix.lutimes(r, a.getEpochSecond(), a.getNano(), m.getEpochSecond(), m.getNano());
    }
}
