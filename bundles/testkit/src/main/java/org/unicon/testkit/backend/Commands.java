package org.unicon.testkit.backend;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Runs the external tools the fixtures use (tar, umoci, mount) and fails with their output. */
final class Commands {

    private Commands() {
    }

    static String run(List<String> command) throws IOException {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException("cannot run " + command.get(0) + " (is it installed? the suite needs tar, umoci,"
                    + " mount and /bin/busybox from busybox-static): " + e.getMessage(), e);
        }
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            int status = process.waitFor();
            if (status != 0) {
                throw new IOException(String.join(" ", command) + " exited with " + status + ": " + output.strip());
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command.get(0), e);
        }
        return output;
    }
}
