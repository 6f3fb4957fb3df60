package org.unicon.isolator.filesystem.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.regex.Pattern;

/**
 * The /etc/hosts, /etc/resolv.conf and /etc/hostname a container with an image gets: written
 * per container into {@code <root>/<container id>/} (outside the sandbox, so that nothing the
 * container does can redirect what cleanup deletes) and bind-mounted read-only. The container
 * shares the host's network, so resolv.conf is a copy of the host's; hosts maps localhost and
 * the container's hostname.
 */
final class EtcFiles {
    static final String HOSTS = "hosts";
    static final String RESOLV_CONF = "resolv.conf";
    static final String HOSTNAME = "hostname";

    /** RFC 1123 labels; at most 64 characters, the kernel's limit for a UTS name. */
    private static final Pattern VALID_HOSTNAME =
            Pattern.compile("(?=.{1,64}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

    private final Path root;
    private final Path hostResolvConf;

    EtcFiles(Path root, Path hostResolvConf) {
        this.root = root;
        this.hostResolvConf = hostResolvConf;
    }

    /** Refuses a hostname that the kernel or /etc/hosts would not take. */
    static void validateHostname(String hostname) {
        if (!VALID_HOSTNAME.matcher(hostname).matches()) {
            throw new IllegalArgumentException("hostname '" + hostname + "' is not a valid host name (letters, digits"
                    + " and '-' in dot-separated labels, at most 64 characters)");
        }
    }

    /** The directory holding the files of container {@code id}. */
    Path directory(String id) {
        return root.resolve(id);
    }

    /** Writes the three files for container {@code id} and returns their directory. */
    Path write(String id, String hostname) throws IOException {
        Path dir = directory(id);
        Files.createDirectories(dir);
        write(dir.resolve(HOSTNAME), hostname + "\n");
        write(dir.resolve(HOSTS), hosts(hostname));
        write(dir.resolve(RESOLV_CONF), resolvConf());
        return dir;
    }

    static String hosts(String hostname) {
        StringBuilder hosts = new StringBuilder()
                .append("127.0.0.1\tlocalhost\n")
                .append("::1\tlocalhost ip6-localhost ip6-loopback\n");
        if (!hostname.equals("localhost")) {
            hosts.append("127.0.1.1\t").append(hostname).append('\n');
        }
        return hosts.toString();
    }

    private String resolvConf() throws IOException {
        try {
            return Files.readString(hostResolvConf, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return "# the host has no " + hostResolvConf + ": no name servers\n";
        }
    }

    /** Deletes what {@link #write} wrote for container {@code id}; nothing to do when it wrote nothing. */
    void delete(String id) throws IOException {
        Path dir = directory(id);
        for (String name : new String[] {HOSTS, RESOLV_CONF, HOSTNAME}) {
            Files.deleteIfExists(dir.resolve(name));
        }
        Files.deleteIfExists(dir);
    }

    /** Atomically, readable by every user of the container. */
    private static void write(Path file, String content) throws IOException {
        Path staged = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
        try {
            Files.writeString(staged, content, StandardCharsets.UTF_8);
            Files.move(staged, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(staged);
        }
    }
}
