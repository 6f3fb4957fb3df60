package org.unicon.launcher.posix.internal;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * The few libc calls Java has no API for. Calls return -1 on failure; the errno is then
 * {@link Native#getLastError()} (JNA saves it after every call). Constants are Linux's values on
 * x86-64 and arm64.
 */
interface LibC extends Library {

    LibC INSTANCE = Native.load("c", LibC.class);

    int O_WRONLY = 01;
    int O_NONBLOCK = 04000;
    int O_CLOEXEC = 02000000;

    int ESRCH = 3;
    int EINTR = 4;
    int ENXIO = 6;

    int SIGKILL = 9;
    int SIGCONT = 18;
    int SIGSTOP = 19;

    int mkfifo(String path, int mode);

    int open(String path, int flags);

    int close(int fd);

    int kill(int pid, int signal);

    String strerror(int errno);

    /** The errno of the last call on this thread. */
    static int errno() {
        return Native.getLastError();
    }

    /** The message for an errno, e.g. "No such process". */
    static String describe(int errno) {
        return INSTANCE.strerror(errno);
    }
}
