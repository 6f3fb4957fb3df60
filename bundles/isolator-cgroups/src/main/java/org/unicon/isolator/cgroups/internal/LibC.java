package org.unicon.isolator.cgroups.internal;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * The libc calls Java has no API for: an eventfd for cgroup v1 OOM notifications, poll, and the
 * clock tick that cpuacct.stat counts in. Calls return -1 on failure; the errno is then
 * {@link Native#getLastError()}. Constants are Linux's (x86-64, arm64).
 */
interface LibC extends Library {

    LibC INSTANCE = Native.load("c", LibC.class);

    int O_RDONLY = 0;
    int O_CLOEXEC = 02000000;
    int EFD_CLOEXEC = 02000000;
    int EFD_NONBLOCK = 04000;
    short POLLIN = 1;
    int EINTR = 4;
    int _SC_CLK_TCK = 2;

    int eventfd(int initval, int flags);

    int open(String path, int flags);

    long read(int fd, byte[] buffer, long count);

    long write(int fd, byte[] buffer, long count);

    /** {@code fds} is an array of {@code struct pollfd} (int fd; short events; short revents). */
    int poll(byte[] fds, long nfds, int timeoutMillis);

    int close(int fd);

    long sysconf(int name);

    String strerror(int errno);

    static String lastError() {
        return INSTANCE.strerror(Native.getLastError());
    }
}
