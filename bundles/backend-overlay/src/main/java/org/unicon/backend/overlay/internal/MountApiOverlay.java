package org.unicon.backend.overlay.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Mounts through the kernel's new mount API (fsopen, fsconfig, fsmount, move_mount; Linux 6.8+
 * for overlay's {@code lowerdir+}): each lower layer is its own {@code fsconfig} call, so there is
 * no option string to outgrow and no separator to escape. The mount exists detached until
 * {@code move_mount} puts it on the target, so a failure at any step leaves nothing mounted.
 */
final class MountApiOverlay implements OverlayMounter {

    @Override
    public void mount(List<Path> layers, Path upper, Path work, Path target) throws IOException {
        LibC c = LibC.INSTANCE;
        long context = c.syscall(LibC.SYS_FSOPEN, "overlay", LibC.FSOPEN_CLOEXEC);
        if (context < 0) {
            throw new IOException("cannot mount an overlay on " + target + ": fsopen(\"overlay\") failed: "
                    + LibC.describe(LibC.errno()));
        }
        try {
            // lowerdir+ appends below the layers given so far: the top layer comes first.
            for (int i = layers.size() - 1; i >= 0; i--) {
                set(context, "lowerdir+", layers.get(i), target,
                        "layer " + (i + 1) + " of " + layers.size() + " (" + layers.get(i) + ")");
            }
            set(context, "upperdir", upper, target, "upperdir " + upper);
            set(context, "workdir", work, target, "workdir " + work);
            check(context, c.syscall(LibC.SYS_FSCONFIG, context, LibC.FSCONFIG_CMD_CREATE, 0L, 0L, 0L),
                    target, "creating the filesystem");
            long mount = c.syscall(LibC.SYS_FSMOUNT, context, LibC.FSMOUNT_CLOEXEC, 0L);
            check(context, mount, target, "fsmount");
            try {
                check(context, c.syscall(LibC.SYS_MOVE_MOUNT, mount, "", LibC.AT_FDCWD, target.toString(),
                        LibC.MOVE_MOUNT_F_EMPTY_PATH), target, "attaching it (move_mount)");
            } finally {
                // Until this fd is closed the mount counts as busy and cannot be unmounted.
                c.close((int) mount);
            }
        } finally {
            c.close((int) context);
        }
    }

    private static void set(long context, String key, Path value, Path target, String what) throws IOException {
        long result = LibC.INSTANCE.syscall(LibC.SYS_FSCONFIG, context, LibC.FSCONFIG_SET_STRING, key,
                value.toString(), 0L);
        check(context, result, target, "setting " + what);
    }

    private static void check(long context, long result, Path target, String step) throws IOException {
        if (result >= 0) {
            return;
        }
        int errno = LibC.errno();
        List<String> kernel = kernelMessages(context);
        throw new IOException("cannot mount an overlay on " + target + ": " + step + " failed: "
                + LibC.describe(errno) + (kernel.isEmpty() ? "" : " (kernel: " + String.join("; ", kernel) + ")"));
    }

    /** The messages the filesystem logged into its context ("e overlayfs: ..."), oldest first. */
    private static List<String> kernelMessages(long context) {
        List<String> messages = new ArrayList<>();
        byte[] buffer = new byte[4096];
        for (int i = 0; i < 32; i++) {
            long n = LibC.INSTANCE.read((int) context, buffer, buffer.length);
            if (n <= 0) {
                break;
            }
            String message = new String(buffer, 0, (int) n, StandardCharsets.UTF_8).strip();
            messages.add(message.length() > 2 && message.charAt(1) == ' ' ? message.substring(2) : message);
        }
        return messages;
    }
}
