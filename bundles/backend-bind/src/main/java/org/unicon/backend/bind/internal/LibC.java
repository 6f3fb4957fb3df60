package org.unicon.backend.bind.internal;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * The libc calls Java has no API for. Calls return -1 on failure; the errno is then
 * {@link #errno()} (JNA saves it after every call). Constants are Linux's.
 */
interface LibC extends Library {

    LibC INSTANCE = Native.load("c", LibC.class);

    long MS_RDONLY = 1;
    long MS_REMOUNT = 32;
    long MS_BIND = 4096;
    long MS_SLAVE = 1 << 19;
    long MS_SHARED = 1 << 20;

    int mount(String source, String target, String type, long flags, Pointer data);

    int geteuid();

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
