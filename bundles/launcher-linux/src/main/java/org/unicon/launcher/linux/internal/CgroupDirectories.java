package org.unicon.launcher.linux.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The cgroup directories a runtime creates for a container ({@code cgroupsPath} under every
 * mounted hierarchy, v1 and v2), to check that a destroyed container left none behind. The
 * hierarchies are read from {@code /proc/self/mountinfo}, so hosts that mount them elsewhere than
 * {@code /sys/fs/cgroup/<name>} are covered too.
 */
final class CgroupDirectories {

    private CgroupDirectories() {
    }

    /** Mount points of cgroup (v1) and cgroup2 file systems whose root is the hierarchy's root. */
    static List<Path> hierarchies() throws IOException {
        List<Path> found = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            // id parent major:minor root mountpoint options [optional fields] - fstype source superoptions
            String[] f = line.split(" ");
            int dash = List.of(f).indexOf("-");
            if (dash < 0 || dash + 1 >= f.length || f.length < 5) {
                continue;
            }
            String type = f[dash + 1];
            if ((type.equals("cgroup") || type.equals("cgroup2")) && f[3].equals("/")) {
                found.add(Path.of(unescape(f[4])));
            }
        }
        return found;
    }

    /** The directories of {@code cgroupsPath} (like {@code /unicon/c1}) that exist. */
    static List<Path> existing(String cgroupsPath) throws IOException {
        return existing(hierarchies(), cgroupsPath);
    }

    private static List<Path> existing(List<Path> hierarchies, String cgroupsPath) {
        List<Path> left = new ArrayList<>();
        String relative = cgroupsPath.replaceFirst("^/+", "");
        for (Path hierarchy : hierarchies) {
            Path dir = hierarchy.resolve(relative);
            if (Files.isDirectory(dir)) {
                left.add(dir);
            }
        }
        return left;
    }

    /**
     * Removes what is left of {@code cgroupsPath} (normally the runtime's delete did it). A cgroup
     * that still has processes, or is still being torn down by the kernel, refuses rmdir for a
     * moment: retry for up to {@code attempts} × 10 ms.
     *
     * @throws IOException naming the directories that could not be removed
     */
    static void remove(String containerId, String cgroupsPath, int attempts) throws IOException, InterruptedException {
        // One read of the mount table per call: it costs about a millisecond on a busy host.
        List<Path> hierarchies = hierarchies();
        List<Path> left = existing(hierarchies, cgroupsPath);
        for (int i = 0; i < attempts && !left.isEmpty(); i++) {
            for (Path dir : left) {
                try {
                    Files.deleteIfExists(dir); // rmdir: a cgroup directory's control files do not count
                } catch (IOException e) {
                    // busy: retried below
                }
            }
            left = existing(hierarchies, cgroupsPath);
            if (!left.isEmpty()) {
                Thread.sleep(10);
            }
        }
        if (!left.isEmpty()) {
            throw new IOException("the cgroups " + left + " of container '" + containerId
                    + "' cannot be removed (processes still in them?)");
        }
        removeEmptyParents(hierarchies, cgroupsPath);
    }

    /**
     * Removes the parents the runtime created for {@code cgroupsPath} (e.g. {@code /unicon}) once
     * no container is left in them, so the host is left as it was. rmdir refuses a cgroup that
     * still has children, which is how one that another container still uses survives.
     */
    private static void removeEmptyParents(List<Path> hierarchies, String cgroupsPath) {
        Path relative = Path.of(cgroupsPath.startsWith("/") ? cgroupsPath.substring(1) : cgroupsPath);
        for (Path parent = relative.getParent(); parent != null; parent = parent.getParent()) {
            for (Path dir : existing(hierarchies, "/" + parent)) {
                try {
                    Files.deleteIfExists(dir);
                } catch (IOException e) {
                    // another container's cgroup is still in it
                }
            }
        }
    }

    /** mountinfo escapes space, tab, newline and backslash as octal. */
    private static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length()) {
                try {
                    b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                    i += 3;
                    continue;
                } catch (NumberFormatException e) {
                    // not an escape: keep the backslash
                }
            }
            b.append(c);
        }
        return b.toString();
    }
}
