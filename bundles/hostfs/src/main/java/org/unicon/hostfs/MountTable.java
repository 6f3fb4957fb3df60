package org.unicon.hostfs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * This process's view of the mount table ({@code /proc/self/mountinfo}): the mounts of its mount
 * namespace, as paths seen from its root. Every call reads the table afresh.
 */
public final class MountTable {

    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

    private MountTable() {
    }

    /**
     * The mount points at or below {@code dir} (compared path component by path component after
     * resolving {@code dir}'s symbolic links), last mounted first, so that unmounting them in this
     * order takes stacked and nested mounts off from the top. A mount stacked on another at the
     * same place appears once per mount. A {@code dir} that does not exist is taken as its
     * absolute normal form.
     *
     * @return the mount points, empty when nothing is mounted there
     * @throws IOException when the mount table cannot be read
     */
    public static List<Path> mountPointsAtOrUnder(Path dir) throws IOException {
        return mountPointsAtOrUnder(canonical(dir), Files.readAllLines(MOUNTINFO));
    }

    /** The mount points in {@code mountinfo} lines at or below {@code root}, last line first. */
    static List<Path> mountPointsAtOrUnder(Path root, List<String> mountinfo) {
        List<Path> found = new ArrayList<>();
        for (String line : mountinfo) {
            String[] fields = line.split(" ", 6);
            if (fields.length < 5) {
                continue;
            }
            Path mountPoint = Path.of(unescape(fields[4]));
            if (mountPoint.startsWith(root)) {
                found.add(mountPoint);
            }
        }
        Collections.reverse(found);
        return found;
    }

    /** The real path of {@code dir}, or its absolute normal form when it does not exist. */
    static Path canonical(Path dir) {
        try {
            return dir.toRealPath();
        } catch (IOException gone) {
            return dir.toAbsolutePath().normalize();
        }
    }

    /** Undoes the kernel's octal escapes of space, tab, newline and backslash. */
    static String unescape(String field) {
        if (field.indexOf('\\') < 0) {
            return field;
        }
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && isOctal(field, i + 1)) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isOctal(String s, int from) {
        if (from + 3 > s.length()) {
            return false;
        }
        for (int i = from; i < from + 3; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '7') {
                return false;
            }
        }
        return true;
    }
}
