package org.unicon.hostfs.internal;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * The libc calls the library needs and Java has no API for. Calls return -1 on failure; the
 * errno is then {@link #errno()} (JNA saves it after every call). Constants are Linux's.
 */
public interface LibC extends Library {

    LibC INSTANCE = Native.load("c", LibC.class);

    int ENOENT = 2;
    int EBUSY = 16;
    int EINVAL = 22;

    int MNT_DETACH = 2;
    int UMOUNT_NOFOLLOW = 8;

    int SIGKILL = 9;

    int umount2(String target, int flags);

    int getpid();

    int kill(int pid, int signal);

    String strerror(int errno);

    /** The errno of the last call on this thread. */
    static int errno() {
        return Native.getLastError();
    }

    /** The message for an errno, e.g. "Device or resource busy". */
    static String describe(int errno) {
        return INSTANCE.strerror(errno);
    }
}
