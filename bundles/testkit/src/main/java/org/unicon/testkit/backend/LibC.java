package org.unicon.testkit.backend;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * The libc calls the fixtures need and Java lacks: device nodes (overlay whiteouts) and
 * extended attributes in every namespace, never following links. Calls return -1 on failure
 * with the errno in {@link Native#getLastError()}.
 */
interface LibC extends Library {

    LibC INSTANCE = Native.load("c", LibC.class);

    int S_IFCHR = 0020000;
    int S_IFIFO = 0010000;

    int mknod(String path, int mode, long device);

    /** Java's own chmod opens the file first, which blocks on a FIFO. */
    int chmod(String path, int mode);

    int lsetxattr(String path, String name, byte[] value, long size, int flags);

    long llistxattr(String path, byte[] list, long size);

    long lgetxattr(String path, String name, byte[] value, long size);

    String strerror(int errno);

    static String lastError() {
        return INSTANCE.strerror(Native.getLastError());
    }
}
