package org.unicon.isolator.cni.internal;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * The libc call Java has no API for: mount(2), to keep a container's network namespace as a
 * bind mount of its {@code /proc/<pid>/ns/net}. Returns -1 on failure; the errno is then
 * {@link Native#getLastError()}.
 */
interface LibC extends Library {

    LibC INSTANCE = Native.load("c", LibC.class);

    long MS_BIND = 4096;

    int mount(String source, String target, String type, long flags, Pointer data);

    String strerror(int errno);

    static String lastError() {
        return INSTANCE.strerror(Native.getLastError());
    }
}
