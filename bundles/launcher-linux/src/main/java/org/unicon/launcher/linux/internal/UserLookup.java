package org.unicon.launcher.linux.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Resolves a container's user in its own root filesystem, as a runtime does inside the container:
 * a name through the image's {@code /etc/passwd} (primary group) and {@code /etc/group}
 * (supplementary groups naming the user); {@code uid}, {@code uid:gid}, {@code name:group} and
 * numeric forms as Docker accepts them. Files are read with symlinks resolved inside the rootfs,
 * so an image cannot make the agent read a host file through {@code /etc/passwd -> /host/...}.
 */
final class UserLookup {

    private static final int MAX_SYMLINKS = 40;

    /** Who the container's process runs as. */
    record Ids(long uid, long gid, List<Long> additionalGids) {
    }

    private UserLookup() {
    }

    /**
     * @param user "" for root
     * @param rootfs the container's root on the host, or null when it runs on the host's tree
     */
    static Ids resolve(String containerId, String user, Path rootfs) throws IOException {
        if (user.isEmpty()) {
            return new Ids(0, 0, List.of());
        }
        String[] parts = user.split(":", -1);
        if (parts.length > 2 || parts[0].isEmpty() || (parts.length == 2 && parts[1].isEmpty())) {
            throw new IllegalArgumentException("user '" + user + "' of container '" + containerId
                    + "' is not of the form NAME, UID, NAME:GROUP or UID:GID");
        }
        Path etc = rootfs == null ? Path.of("/") : rootfs;
        List<String[]> passwd = table(etc, "/etc/passwd");
        List<String[]> groups = table(etc, "/etc/group");
        String name = parts[0];
        Long uid = number(name);
        Long gid = null;
        String[] entry = passwd.stream()
                .filter(f -> f.length >= 4 && (uid == null ? f[0].equals(name) : f[2].equals(name)))
                .findFirst().orElse(null);
        if (entry == null && uid == null) {
            throw new IllegalArgumentException("user '" + name + "' of container '" + containerId
                    + "' is not in the image's /etc/passwd" + (rootfs == null ? "" : " (" + rootfs + "/etc/passwd)"));
        }
        long resolvedUid = uid != null ? uid : parseId(entry[2], "uid of " + name);
        String userName = entry != null ? entry[0] : null;
        if (entry != null) {
            gid = parseId(entry[3], "gid of " + name);
        }
        if (parts.length == 2) {
            String group = parts[1];
            gid = number(group);
            if (gid == null) {
                gid = groups.stream().filter(f -> f.length >= 3 && f[0].equals(group)).findFirst()
                        .map(f -> parseId(f[2], "gid of group " + group))
                        .orElseThrow(() -> new IllegalArgumentException("group '" + group + "' of container '"
                                + containerId + "' is not in the image's /etc/group"));
            }
        }
        long primary = gid == null ? 0 : gid;
        Set<Long> additional = new LinkedHashSet<>();
        if (userName != null) {
            for (String[] g : groups) {
                if (g.length >= 4 && List.of(g[3].split(",")).contains(userName)) {
                    Long id = number(g[2]);
                    if (id != null && id != primary) {
                        additional.add(id);
                    }
                }
            }
        }
        return new Ids(resolvedUid, primary, List.copyOf(additional));
    }

    /** The colon-separated lines of a file in the rootfs; none if it does not exist. */
    private static List<String[]> table(Path rootfs, String path) throws IOException {
        Optional<Path> file = resolveInside(rootfs, path);
        List<String[]> rows = new ArrayList<>();
        if (file.isEmpty() || !Files.isRegularFile(file.get(), LinkOption.NOFOLLOW_LINKS)) {
            return rows;
        }
        for (String line : Files.readAllLines(file.get(), StandardCharsets.UTF_8)) {
            if (!line.isBlank() && !line.startsWith("#")) {
                rows.add(line.split(":", -1));
            }
        }
        return rows;
    }

    /**
     * The host path of {@code path} inside {@code rootfs}, following symlinks as if the rootfs
     * were {@code /} (absolute targets and {@code ..} never leave it); empty if it does not exist.
     */
    static Optional<Path> resolveInside(Path rootfs, String path) throws IOException {
        List<String> pending = new ArrayList<>(List.of(path.split("/")));
        List<String> done = new ArrayList<>();
        int links = 0;
        while (!pending.isEmpty()) {
            String part = pending.remove(0);
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (!done.isEmpty()) {
                    done.remove(done.size() - 1);
                }
                continue;
            }
            Path candidate = rootfs.resolve(String.join("/", done)).resolve(part);
            if (Files.isSymbolicLink(candidate)) {
                if (++links > MAX_SYMLINKS) {
                    throw new IOException("too many symlinks resolving " + path + " in " + rootfs);
                }
                String target = Files.readSymbolicLink(candidate).toString();
                if (target.startsWith("/")) {
                    done.clear();
                }
                pending.addAll(0, List.of(target.split("/")));
            } else if (Files.exists(candidate, LinkOption.NOFOLLOW_LINKS)) {
                done.add(part);
            } else {
                return Optional.empty();
            }
        }
        return Optional.of(rootfs.resolve(String.join("/", done)));
    }

    private static Long number(String s) {
        if (s.isEmpty() || !s.chars().allMatch(Character::isDigit) || s.length() > 10) {
            return null;
        }
        long v = Long.parseLong(s);
        return v <= 0xFFFFFFFEL ? v : null;
    }

    private static long parseId(String s, String what) {
        Long v = number(s);
        if (v == null) {
            throw new IllegalArgumentException("the image's " + what + " is not a number: '" + s + "'");
        }
        return v;
    }
}
