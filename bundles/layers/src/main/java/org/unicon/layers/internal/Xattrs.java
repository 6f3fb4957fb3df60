package org.unicon.layers.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import org.unicon.layers.InvalidLayerException;

/** Extended attributes as a layer may carry them, minus anything that would forge overlay semantics. */
public final class Xattrs {

    private static final System.Logger LOG = System.getLogger(Xattrs.class.getName());

    /** The xattr overlayfs reads to make a directory opaque. */
    public static final String OPAQUE = "trusted.overlay.opaque";

    private Xattrs() {
    }

    /**
     * True for names a layer must never set: overlayfs's own ({@code trusted.overlay.*}, which
     * includes the escaped {@code trusted.overlay.overlay.*}) and unprivileged overlay's
     * ({@code user.overlay.*}). Opaque and whiteout state comes only from whiteout entries.
     */
    public static boolean forbidden(String name) {
        return name.startsWith("trusted.overlay.") || name.startsWith("user.overlay.");
    }

    /**
     * Sets {@code xattrs} on {@code file} itself. Forbidden names are dropped; ENOTSUP and EPERM
     * (a file system without xattrs, {@code user.*} on a symlink or device) skip that attribute,
     * as Docker does; any other error means the attribute itself is invalid.
     */
    static void apply(Path file, String entry, Map<String, byte[]> xattrs, boolean symlink) throws IOException {
        for (Map.Entry<String, byte[]> x : xattrs.entrySet()) {
            String name = x.getKey();
            if (forbidden(name)) {
                continue;
            }
            if (name.isEmpty() || name.indexOf('\0') >= 0 || name.getBytes(StandardCharsets.UTF_8).length > 255) {
                throw new InvalidLayerException(entry, "has an invalid extended attribute name");
            }
            int errno = Posix.lsetxattr(file, name, x.getValue());
            if (errno == Posix.ENOTSUP || errno == Posix.EPERM) {
                LOG.log(Level.DEBUG, "skipped xattr " + name + " on " + file + " (errno " + errno + ")");
            } else if (errno != 0) {
                throw new InvalidLayerException(entry, "extended attribute '" + name
                        + "' could not be set (errno " + errno + ")");
            }
        }
    }

    /** Marks {@code dir} opaque for overlayfs; needs CAP_SYS_ADMIN. */
    public static void setOpaque(Path dir) throws IOException {
        int errno = Posix.lsetxattr(dir, OPAQUE, new byte[] {'y'});
        if (errno != 0) {
            throw new IOException("cannot mark '" + dir + "' opaque (setting " + OPAQUE
                    + " needs root; errno " + errno + ")");
        }
    }

    /** True when {@code dir} carries {@code trusted.overlay.opaque=y}. */
    public static boolean isOpaque(Path dir) throws IOException {
        byte[] v = Posix.lgetxattr(dir, OPAQUE);
        return v != null && v.length == 1 && v[0] == 'y';
    }
}
