package org.unicon.layers.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;

/**
 * What lstat(2) says about a path (the link itself, never its target), read through the JDK's
 * {@code unix:} attribute view.
 */
public record NodeInfo(int mode, long uid, long gid, long dev, long ino, int nlink, long rdev,
        FileTime atime, FileTime mtime) {

    /** lstat of {@code path}; null when nothing is there. */
    public static NodeInfo lstat(Path path) throws IOException {
        Map<String, Object> a;
        try {
            a = Files.readAttributes(path, "unix:mode,uid,gid,dev,ino,nlink,rdev,lastAccessTime,lastModifiedTime",
                    LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
        return new NodeInfo((Integer) a.get("mode"), Integer.toUnsignedLong((Integer) a.get("uid")),
                Integer.toUnsignedLong((Integer) a.get("gid")), (Long) a.get("dev"), (Long) a.get("ino"),
                (Integer) a.get("nlink"), (Long) a.get("rdev"), (FileTime) a.get("lastAccessTime"),
                (FileTime) a.get("lastModifiedTime"));
    }

    public int type() {
        return mode & Posix.S_IFMT;
    }

    public int permissions() {
        return mode & 07777;
    }

    public boolean isDirectory() {
        return type() == Posix.S_IFDIR;
    }

    public boolean isSymlink() {
        return type() == Posix.S_IFLNK;
    }

    public boolean isRegular() {
        return type() == Posix.S_IFREG;
    }

    /** A character device 0/0: an overlay whiteout. */
    public boolean isWhiteout() {
        return type() == Posix.S_IFCHR && rdev == 0;
    }

    public long major() {
        return ((rdev >>> 32) & 0xfffff000L) | ((rdev >>> 8) & 0xfffL);
    }

    public long minor() {
        return ((rdev >>> 12) & 0xffffff00L) | (rdev & 0xffL);
    }
}
