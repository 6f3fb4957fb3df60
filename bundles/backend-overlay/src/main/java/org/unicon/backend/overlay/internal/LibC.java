package org.unicon.backend.overlay.internal;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * The libc calls Java has no API for. Calls return -1 on failure; the errno is then
 * {@link #errno()} (JNA saves it after every call). Constants and syscall numbers are Linux's
 * on x86-64 and arm64 (the mount API syscalls share one number on every architecture).
 */
interface LibC extends Library {

    LibC INSTANCE = Native.load("c", LibC.class);

    int EINTR = 4;

    long SYS_MOVE_MOUNT = 429;
    long SYS_FSOPEN = 430;
    long SYS_FSCONFIG = 431;
    long SYS_FSMOUNT = 432;

    long FSOPEN_CLOEXEC = 1;
    long FSCONFIG_SET_STRING = 1;
    long FSCONFIG_CMD_CREATE = 6;
    long FSMOUNT_CLOEXEC = 1;
    long MOVE_MOUNT_F_EMPTY_PATH = 4;
    long AT_FDCWD = -100;

    /** syscall(2); every argument must be a {@code Long} or a {@code String} (a pointer). */
    long syscall(long number, Object... args);

    long read(int fd, byte[] buffer, long count);

    int close(int fd);

    /** statfs(2) into a buffer of at least 120 bytes; {@code f_type} is the long at offset 0. */
    int statfs(String path, Memory buffer);

    Pointer opendir(String path);

    /** The next entry or null; {@code d_type} is the byte at offset 18, {@code d_name} starts at 19. */
    Pointer readdir(Pointer dir);

    int closedir(Pointer dir);

    int chmod(String path, int mode);

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
