package org.unicon.launcher.linux.internal;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Starts conmon (2.1.x), the per-container monitor, which runs {@code runtime create}, keeps
 * the container's init as its child, writes its exit code to {@code <launcher dir>/exits/<id>}
 * and outlives the agent. No JVM thread stays per container.
 *
 * <p>Output: conmon's {@code passthrough} log driver hands conmon's own stdout and stderr to the
 * runtime, which gives them to the container as its fds 1 and 2. conmon is started with them
 * opened in append mode on the sandbox's {@code stdout} and {@code stderr}, so the container
 * writes plain bytes straight into those files — nothing of the agent is in the path, and output
 * written while the agent is down is not lost. (The {@code k8s-file} driver would prefix each
 * line with a timestamp and stream, and need a copier.) conmon's and the runtime's own error
 * messages land in {@code stderr} too.
 *
 * <p>Readiness: conmon's first process returns before {@code runtime create} has finished. The
 * monitor reports on the sync pipe ({@code _OCI_SYNCPIPE}, fd 3): {@code {"data": <pid>}} once
 * the container is created (paused before exec), or {@code {"data": -1, "message": ...}}. Java
 * can hand a child only fds 0-2 (and drains and closes a child's stdout pipe as soon as the
 * child exits, which conmon's first process does before the report), so the sync pipe is a FIFO
 * in the launcher directory that a one-line {@code /bin/sh} trampoline opens as fd 3 (and the
 * sandbox's stdout as fd 1) before exec'ing conmon. EOF without a report means conmon died.
 */
final class Conmon {

    static final String EXITS = "exits";
    static final String CONTAINER_PID = "container.pid";
    static final String CONMON_PID = "conmon.pid";
    static final String SYNC_FIFO = "sync.fifo";
    /** How long {@code runtime create} may take (it takes milliseconds; this only guards a hang). */
    static final Duration CREATE_TIMEOUT = Duration.ofSeconds(60);

    /** {@code sh -c TRAMPOLINE STDOUT FIFO conmon ARGS...}: fd 3 = the FIFO, fd 1 = the sandbox's stdout. */
    private static final String TRAMPOLINE = "exec 3>\"$1\" 1>>\"$0\" || exit 125; shift; exec \"$@\"";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A created container: conmon's pid and start time, and the container's init pid. */
    record Created(long conmonPid, long conmonStartTime, long containerPid) {
    }

    private Conmon() {
    }

    /**
     * Starts conmon and returns once the runtime has created the container (its command paused
     * until {@code runtime start}).
     *
     * @throws IOException with the runtime's message if the container could not be created; what
     *             conmon or the runtime left behind is the caller's to clean up
     */
    static Created start(Path conmon, RuntimeCli runtime, String id, Path bundle, Path directory, Path stdout,
            Path stderr) throws IOException, InterruptedException {
        Path exits = Files.createDirectories(directory.resolve(EXITS));
        Path fifo = directory.resolve(SYNC_FIFO);
        Files.deleteIfExists(fifo);
        if (LibC.INSTANCE.mkfifo(fifo.toString(), 0600) != 0) {
            throw new IOException("cannot create FIFO " + fifo + ": " + LibC.describe(LibC.errno()));
        }
        // Our read end first, non-blocking: then the trampoline's open of the write end does not block.
        int fd = LibC.INSTANCE.open(fifo.toString(), LibC.O_RDONLY | LibC.O_NONBLOCK | LibC.O_CLOEXEC);
        if (fd < 0) {
            throw new IOException("cannot open FIFO " + fifo + ": " + LibC.describe(LibC.errno()));
        }
        try {
            ProcessBuilder builder = new ProcessBuilder(List.of("/bin/sh", "-c", TRAMPOLINE, stdout.toString(),
                    fifo.toString(), conmon.toString(), "--api-version", "1", "-c", id, "-u", id, "-n", id,
                    "-r", runtime.executable().toString(), "--runtime-arg", "--root=" + runtime.root(),
                    "-b", bundle.toString(), "-p", directory.resolve(CONTAINER_PID).toString(),
                    "-P", directory.resolve(CONMON_PID).toString(), "-l", "passthrough",
                    "--exit-dir", exits.toString(), "--socket-dir-path", directory.toString()));
            builder.environment().clear();
            builder.environment().put("PATH", RuntimeCli.HOST_PATH);
            builder.environment().put("_OCI_SYNCPIPE", "3");
            builder.directory(directory.toFile());
            builder.redirectInput(Redirect.from(new File("/dev/null")));
            builder.redirectOutput(Redirect.DISCARD);
            builder.redirectError(Redirect.appendTo(stderr.toFile()));
            long stderrBefore = Files.exists(stderr) ? Files.size(stderr) : 0;
            Process p;
            try {
                p = builder.start();
            } catch (IOException e) {
                throw new IOException("cannot start conmon for container '" + id + "': " + e.getMessage(), e);
            }
            // conmon's first process writes the pid file and exits right after forking the monitor,
            // which inherits the write end: from then on, EOF means the monitor has closed it.
            if (!p.waitFor(CREATE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IOException("conmon's first process for container '" + id + "' did not exit");
            }
            String text = readReport(fd, id, directory);
            if (text.isBlank()) { // conmon reports a failed create by closing the pipe
                String said = said(stderr, stderrBefore);
                throw new IOException("cannot create container '" + id + "' with " + runtime.name()
                        + (said.isEmpty() ? ": conmon ended (exit code " + p.exitValue() + ") without a report" : said));
            }
            JsonNode n = JSON.readTree(text);
            long containerPid = n.path("data").asLong(-1);
            if (containerPid <= 0) {
                String message = n.path("message").asText("").strip();
                throw new IOException("cannot create container '" + id + "' with " + runtime.name()
                        + (message.isEmpty() ? said(stderr, stderrBefore) : ": " + message));
            }
            long conmonPid = readPid(directory.resolve(CONMON_PID), id);
            // conmon holds the container as its child until the container ends, which cannot happen
            // before start: reading its start time now cannot pick up another process.
            long startTime = ProcessTable.read(conmonPid).map(ProcessTable.Entry::startTime).orElse(-1L);
            return new Created(conmonPid, startTime, containerPid);
        } finally {
            LibC.INSTANCE.close(fd);
            Files.deleteIfExists(fifo);
        }
    }

    /** The pid conmon wrote, or 0 if it wrote none. */
    static long readPid(Path file, String id) throws IOException {
        try {
            String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
            return text.isEmpty() ? 0 : Long.parseLong(text);
        } catch (NoSuchFileException e) {
            return 0;
        } catch (NumberFormatException e) {
            throw new IOException("the pid file " + file + " of container '" + id + "' is corrupt", e);
        }
    }

    /**
     * Reads the sync pipe up to the end of conmon's one JSON object, or EOF (""). A '}' inside the
     * runtime's message does not end it: the object ends where it first parses. A read that hangs
     * (the runtime hangs in create) is ended by killing conmon, which closes the pipe.
     */
    private static String readReport(int fd, String id, Path directory) throws IOException, InterruptedException {
        if (LibC.INSTANCE.fcntl(fd, LibC.F_SETFL, LibC.O_RDONLY) != 0) {
            throw new IOException("cannot make conmon's sync pipe blocking: " + LibC.describe(LibC.errno()));
        }
        CompletableFuture<String> report = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            byte[] chunk = new byte[4096];
            while (true) {
                long n = LibC.INSTANCE.read(fd, chunk, chunk.length);
                if (n < 0) {
                    int errno = LibC.errno();
                    if (errno == LibC.EINTR) {
                        continue;
                    }
                    report.completeExceptionally(new IOException(LibC.describe(errno)));
                    return;
                }
                if (n == 0) {
                    break;
                }
                buffer.write(chunk, 0, (int) n);
                if (parses(buffer)) {
                    break;
                }
            }
            report.complete(buffer.toString(StandardCharsets.UTF_8));
        }, "unicon-conmon-sync-" + id);
        reader.setDaemon(true);
        reader.start();
        try {
            return report.get(CREATE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            long conmonPid = readPid(directory.resolve(CONMON_PID), id);
            ProcessHandle.of(conmonPid).ifPresent(ProcessHandle::destroyForcibly);
            reader.join(CREATE_TIMEOUT.toMillis());
            throw new IOException("the runtime did not create container '" + id + "' within "
                    + CREATE_TIMEOUT.toSeconds() + " s");
        } catch (ExecutionException e) {
            throw new IOException("cannot read conmon's report for container '" + id + "': "
                    + e.getCause().getMessage(), e.getCause());
        }
    }

    private static boolean parses(ByteArrayOutputStream buffer) {
        try {
            JSON.readTree(buffer.toByteArray());
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** What conmon and the runtime wrote to the container's stderr during the attempt. */
    private static String said(Path stderr, long from) throws IOException {
        if (!Files.exists(stderr) || Files.size(stderr) <= from) {
            return "";
        }
        try (var in = Files.newInputStream(stderr)) {
            in.skipNBytes(from);
            String text = new String(in.readNBytes(8000), StandardCharsets.UTF_8).strip();
            // runc logs warnings before the error: keep the error lines' messages if there are any
            List<String> errors = text.lines().filter(l -> l.contains("level=error"))
                    .map(l -> new RuntimeCli.Result(1, "", l).error()).toList();
            String said = errors.isEmpty() ? text : String.join("; ", errors);
            return said.isEmpty() ? "" : ": " + said;
        }
    }
}
