package com.example.unicon.audit.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Appends audit lines to one file: {@code <UTC time> <event> container=<id> [details]}. The
 * file is in a sandbox a container can write into, so it is opened without following a
 * symbolic link (a container cannot make the agent append to a host file of its choosing).
 */
final class AuditLog {

    private final Clock clock;

    AuditLog(Clock clock) {
        this.clock = clock;
    }

    void append(Path file, String event, String containerId, String details) throws IOException {
        String line = Instant.now(clock).truncatedTo(ChronoUnit.MILLIS) + " " + event + " container=" + containerId
                + (details.isEmpty() ? "" : " " + details.replaceAll("[\\r\\n]+", " ")) + "\n";
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND, LinkOption.NOFOLLOW_LINKS)) {
            ByteBuffer bytes = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                out.write(bytes);
            }
        } catch (IOException e) {
            throw new IOException("cannot append to the audit file " + file + " of container '" + containerId
                    + "': " + e, e);
        }
    }
}
