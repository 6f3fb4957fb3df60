package org.unicon.launcher.linux.internal;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * The libc calls Java has no API for (a FIFO for conmon's sync pipe). Calls return -1 on
 * failure; the errno is then {@link Native#getLastError()}. Constants are Linux's (x86-64, arm64).
 */
interface LibC extends Library {

    LibC INSTANCE = Native.load("c", LibC.class);

    int O_RDONLY = 0;
    int O_NONBLOCK = 04000;
    int O_CLOEXEC = 02000000;
    int F_SETFL = 4;
    int EINTR = 4;
    int EAGAIN = 11;

    int mkfifo(String path, int mode);

    int open(String path, int flags);

    long read(int fd, byte[] buffer, long count);

    int fcntl(int fd, int command, int argument);

    int close(int fd);

    String strerror(int errno);

    static int errno() {
        return Native.getLastError();
    }

    static String describe(int errno) {
        return INSTANCE.strerror(errno);
    }
}
