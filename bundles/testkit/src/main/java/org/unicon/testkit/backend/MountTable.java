package org.unicon.testkit.backend;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Mount points from {@code /proc/self/mountinfo}, for asserting that nothing stays mounted. */
final class MountTable {

    private MountTable() {
    }

    /** Mount points at or below {@code dir}, last mounted first. */
    static List<Path> mountPointsAtOrUnder(Path dir) throws IOException {
        Path root;
        try {
            root = dir.toRealPath();
        } catch (IOException gone) {
            root = dir.toAbsolutePath().normalize();
        }
        List<Path> found = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] fields = line.split(" ", 6);
            if (fields.length >= 5) {
                Path mountPoint = Path.of(unescape(fields[4]));
                if (mountPoint.startsWith(root)) {
                    found.add(mountPoint);
                }
            }
        }
        Collections.reverse(found);
        return found;
    }

    /** Detaches whatever a failed test left mounted below {@code dir}, so it can be deleted. */
    static void detachAll(Path dir) throws IOException {
        for (Path mountPoint : mountPointsAtOrUnder(dir)) {
            LibC.INSTANCE.umount2(mountPoint.toString(), LibC.MNT_DETACH);
        }
    }

    private static String unescape(String field) {
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 4 <= field.length() && field.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
