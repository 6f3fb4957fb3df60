package org.unicon.testkit.backend;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.SortedMap;
import java.util.TreeMap;

/** Reads every extended attribute of a path (all namespaces root can see), without following links. */
final class Xattrs {

    private Xattrs() {
    }

    /** Name to value (text, or 0x-hex when not printable), sorted by name. */
    static SortedMap<String, String> read(Path path) throws IOException {
        SortedMap<String, String> result = new TreeMap<>();
        String p = path.toString();
        long size = LibC.INSTANCE.llistxattr(p, null, 0);
        if (size < 0) {
            throw new IOException("cannot list xattrs of " + path + ": " + LibC.lastError());
        }
        if (size == 0) {
            return result;
        }
        byte[] list = new byte[(int) size];
        size = LibC.INSTANCE.llistxattr(p, list, list.length);
        if (size < 0) {
            throw new IOException("cannot list xattrs of " + path + ": " + LibC.lastError());
        }
        int start = 0;
        for (int i = 0; i < size; i++) {
            if (list[i] == 0) {
                String name = new String(list, start, i - start, StandardCharsets.UTF_8);
                start = i + 1;
                result.put(name, FileTree.printable(value(path, name)));
            }
        }
        return result;
    }

    static byte[] value(Path path, String name) throws IOException {
        long size = LibC.INSTANCE.lgetxattr(path.toString(), name, null, 0);
        if (size < 0) {
            throw new IOException("cannot read xattr " + name + " of " + path + ": " + LibC.lastError());
        }
        byte[] value = new byte[(int) size];
        if (size > 0 && LibC.INSTANCE.lgetxattr(path.toString(), name, value, size) < 0) {
            throw new IOException("cannot read xattr " + name + " of " + path + ": " + LibC.lastError());
        }
        return value;
    }
}
