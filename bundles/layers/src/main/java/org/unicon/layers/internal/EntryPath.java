package org.unicon.layers.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.unicon.layers.InvalidLayerException;

/**
 * Lexical resolution of a tar name inside the layer root: leading {@code /} and {@code ./} are
 * dropped, {@code .} and empty components vanish, {@code ..} pops. A relative name that climbs
 * above the root is refused; an absolute one is clamped at the root as a chroot would ("/.." is
 * "/"). Nothing here touches the file system.
 */
final class EntryPath {

    static final int NAME_MAX = 255;
    static final int PATH_MAX = 4095;

    private EntryPath() {
    }

    /** The components of {@code name} inside the root; empty for the root itself. */
    static List<String> resolve(String name, String entry, String what) throws InvalidLayerException {
        checkChars(name, entry, what);
        boolean absolute = name.startsWith("/");
        List<String> out = new ArrayList<>();
        int bytes = 0;
        for (String component : name.split("/")) {
            if (component.isEmpty() || component.equals(".")) {
                continue;
            }
            if (component.equals("..")) {
                if (out.isEmpty()) {
                    if (absolute) {
                        continue;
                    }
                    throw new InvalidLayerException(entry, what + " '" + name + "' climbs out of the layer root with '..'");
                }
                out.remove(out.size() - 1);
                continue;
            }
            int length = component.getBytes(StandardCharsets.UTF_8).length;
            if (length > NAME_MAX) {
                throw new InvalidLayerException(entry, what + " has a component of " + length
                        + " bytes (the limit is " + NAME_MAX + ")");
            }
            out.add(component);
        }
        for (String c : out) {
            bytes += c.getBytes(StandardCharsets.UTF_8).length + 1;
        }
        if (bytes > PATH_MAX) {
            throw new InvalidLayerException(entry, what + " is " + bytes + " bytes long (the limit is " + PATH_MAX + ")");
        }
        return out;
    }

    /** Refuses NUL bytes and names that were not valid UTF-8 (decoded to U+FFFD). */
    static void checkChars(String s, String entry, String what) throws InvalidLayerException {
        if (s.indexOf('\0') >= 0) {
            throw new InvalidLayerException(entry, what + " contains a NUL byte");
        }
        if (s.indexOf('\uFFFD') >= 0) {
            throw new InvalidLayerException(entry, what + " is not valid UTF-8");
        }
    }

    static String join(List<String> components) {
        return String.join("/", components);
    }
}
