package org.unicon.layers.internal;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * The system calls Java's file API lacks, none of which follows a symbolic link in the last path
 * component: mknod, lchown, chmod with setuid bits, l*xattr, utimensat(AT_SYMLINK_NOFOLLOW),
 * symlink with a verbatim target, renameat2(RENAME_NOREPLACE). Paths are passed as the same bytes
 * Java's own file system uses ({@code sun.jnu.encoding}).
 */
public final class Posix {

    public static final int S_IFMT = 0170000;
    public static final int S_IFIFO = 0010000;
    public static final int S_IFCHR = 0020000;
    public static final int S_IFDIR = 0040000;
    public static final int S_IFBLK = 0060000;
    public static final int S_IFREG = 0100000;
    public static final int S_IFLNK = 0120000;

    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EEXIST = 17;
    public static final int EXDEV = 18;
    public static final int EINVAL = 22;
    public static final int ENOSYS = 38;
    public static final int ENODATA = 61;
    public static final int ENOTSUP = 95;

    private static final int AT_FDCWD = -100;
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;
    private static final int RENAME_NOREPLACE = 1;

    private static final Charset PATH_CHARSET = pathCharset();

    /** JNA binding of the libc functions used here; all throw {@link LastErrorException} on -1. */
    interface LibC extends Library {
        int geteuid();

        int lchown(byte[] path, int uid, int gid) throws LastErrorException;

        int chmod(byte[] path, int mode) throws LastErrorException;

        int mknod(byte[] path, int mode, long dev) throws LastErrorException;

        int symlink(byte[] target, byte[] linkPath) throws LastErrorException;

        int lsetxattr(byte[] path, byte[] name, byte[] value, long size, int flags) throws LastErrorException;

        long lgetxattr(byte[] path, byte[] name, byte[] value, long size) throws LastErrorException;

        long llistxattr(byte[] path, byte[] list, long size) throws LastErrorException;

        int utimensat(int dirfd, byte[] path, long[] times, int flags) throws LastErrorException;

        long readlink(byte[] path, byte[] buf, long size) throws LastErrorException;

        int renameat2(int olddirfd, byte[] oldPath, int newdirfd, byte[] newPath, int flags) throws LastErrorException;
    }

    private static final class Holder {
        static final LibC C = Native.load("c", LibC.class);
    }

    private Posix() {
    }

    private static Charset pathCharset() {
        String name = System.getProperty("sun.jnu.encoding");
        try {
            return name == null ? Charset.defaultCharset() : Charset.forName(name);
        } catch (RuntimeException e) {
            return Charset.defaultCharset();
        }
    }

    private static byte[] c(Path path) {
        return c(path.toString());
    }

    private static byte[] c(String s) {
        byte[] b = s.getBytes(PATH_CHARSET);
        byte[] out = new byte[b.length + 1];
        System.arraycopy(b, 0, out, 0, b.length);
        return out;
    }

    private static IOException failure(String what, Path path, LastErrorException e) {
        return new IOException(what + " '" + path + "' failed: " + strerror(e.getErrorCode())
                + " (errno " + e.getErrorCode() + ")", e);
    }

    private static String strerror(int errno) {
        switch (errno) {
            case EPERM: return "operation not permitted";
            case ENOENT: return "no such file or directory";
            case EEXIST: return "file exists";
            case EINVAL: return "invalid argument";
            case ENOTSUP: return "operation not supported";
            case ENODATA: return "no such attribute";
            default: return "system error";
        }
    }

    /** The effective user ID of this process. */
    public static int geteuid() {
        return Holder.C.geteuid();
    }

    /**
     * True when this process may create real device nodes: root in the initial user namespace
     * (in any other namespace mknod of a device fails, so layers skip them as moby does).
     */
    public static boolean mayCreateDevices() {
        if (geteuid() != 0) {
            return false;
        }
        try {
            String map = Files.readString(Path.of("/proc/self/uid_map")).trim();
            return map.matches("0\\s+0\\s+4294967295");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Changes the owner of {@code path} itself, never of what a symlink points to. */
    public static void lchown(Path path, long uid, long gid) throws IOException {
        try {
            Holder.C.lchown(c(path), (int) uid, (int) gid);
        } catch (LastErrorException e) {
            throw failure("lchown", path, e);
        }
    }

    /**
     * Sets all 12 permission bits (setuid, setgid and sticky included, which
     * {@code Files.setPosixFilePermissions} cannot). The caller must know {@code path} is not a
     * symbolic link.
     */
    public static void chmod(Path path, int mode) throws IOException {
        try {
            Holder.C.chmod(c(path), mode & 07777);
        } catch (LastErrorException e) {
            throw failure("chmod", path, e);
        }
    }

    /** Creates a node ({@code type} is {@link #S_IFCHR}, {@link #S_IFBLK} or {@link #S_IFIFO}). */
    public static void mknod(Path path, int type, int permissions, long major, long minor) throws IOException {
        long dev = ((major & 0xfffff000L) << 32) | ((major & 0xfffL) << 8)
                | ((minor & 0xffffff00L) << 12) | (minor & 0xffL);
        try {
            Holder.C.mknod(c(path), type | (permissions & 07777), dev);
        } catch (LastErrorException e) {
            throw failure("mknod", path, e);
        }
    }

    /** Creates a symbolic link whose target is exactly {@code target}, byte for byte. */
    public static void symlink(String target, Path link) throws IOException {
        try {
            Holder.C.symlink(c(target), c(link));
        } catch (LastErrorException e) {
            throw failure("symlink", link, e);
        }
    }

    /** The target of symbolic link {@code link}, byte for byte (Java's Path would normalize it). */
    public static String readlink(Path link) throws IOException {
        byte[] buf = new byte[4096];
        try {
            long n = Holder.C.readlink(c(link), buf, buf.length);
            return new String(buf, 0, (int) n, PATH_CHARSET);
        } catch (LastErrorException e) {
            throw failure("readlink", link, e);
        }
    }

    /** Sets an extended attribute on {@code path} itself; returns the errno on failure, 0 on success. */
    public static int lsetxattr(Path path, String name, byte[] value) {
        try {
            Holder.C.lsetxattr(c(path), c(name), value, value.length, 0);
            return 0;
        } catch (LastErrorException e) {
            return e.getErrorCode();
        }
    }

    /** Reads an extended attribute of {@code path} itself; null when absent. */
    public static byte[] lgetxattr(Path path, String name) throws IOException {
        byte[] p = c(path);
        byte[] n = c(name);
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                long size = Holder.C.lgetxattr(p, n, null, 0);
                byte[] value = new byte[(int) size];
                long got = Holder.C.lgetxattr(p, n, value, value.length);
                return got == size ? value : java.util.Arrays.copyOf(value, (int) got);
            } catch (LastErrorException e) {
                if (e.getErrorCode() == ENODATA || e.getErrorCode() == ENOTSUP) {
                    return null;
                }
                if (e.getErrorCode() != 34 /* ERANGE: changed in between */) {
                    throw failure("lgetxattr " + name + " of", path, e);
                }
            }
        }
        throw new IOException("lgetxattr " + name + " of '" + path + "' kept changing size");
    }

    /** Names of the extended attributes of {@code path} itself. */
    public static List<String> llistxattr(Path path) throws IOException {
        byte[] p = c(path);
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                long size = Holder.C.llistxattr(p, null, 0);
                List<String> names = new ArrayList<>();
                if (size == 0) {
                    return names;
                }
                byte[] list = new byte[(int) size];
                long got = Holder.C.llistxattr(p, list, list.length);
                int start = 0;
                for (int i = 0; i < got; i++) {
                    if (list[i] == 0) {
                        if (i > start) {
                            names.add(new String(list, start, i - start, PATH_CHARSET));
                        }
                        start = i + 1;
                    }
                }
                return names;
            } catch (LastErrorException e) {
                if (e.getErrorCode() == ENOTSUP) {
                    return new ArrayList<>();
                }
                if (e.getErrorCode() != 34) {
                    throw failure("llistxattr", path, e);
                }
            }
        }
        throw new IOException("llistxattr of '" + path + "' kept changing size");
    }

    /** Sets access and modification times (seconds + nanoseconds) of {@code path} itself. */
    public static void lutimes(Path path, long atimeSec, long atimeNsec, long mtimeSec, long mtimeNsec)
            throws IOException {
        try {
            Holder.C.utimensat(AT_FDCWD, c(path), new long[] {atimeSec, atimeNsec, mtimeSec, mtimeNsec},
                    AT_SYMLINK_NOFOLLOW);
        } catch (LastErrorException e) {
            throw failure("utimensat", path, e);
        }
    }

    /**
     * Renames {@code from} to {@code to} atomically unless {@code to} exists. Returns false when it
     * exists. File systems without RENAME_NOREPLACE fall back to rename(2), which still refuses a
     * non-empty target directory.
     */
    public static boolean renameNoReplace(Path from, Path to) throws IOException {
        try {
            Holder.C.renameat2(AT_FDCWD, c(from), AT_FDCWD, c(to), RENAME_NOREPLACE);
            return true;
        } catch (LastErrorException e) {
            if (e.getErrorCode() == EEXIST) {
                return false;
            }
            if (e.getErrorCode() == EXDEV) {
                throw new IOException("cannot rename '" + from + "' to '" + to
                        + "': they are on different file systems (staging must be next to the store)", e);
            }
            if (e.getErrorCode() != EINVAL && e.getErrorCode() != ENOSYS) {
                throw failure("renameat2 to '" + to + "' of", from, e);
            }
        }
        if (Files.exists(to, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try {
            Files.move(from, to, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (java.nio.file.DirectoryNotEmptyException | java.nio.file.FileAlreadyExistsException e) {
            return false;
        }
    }
}
