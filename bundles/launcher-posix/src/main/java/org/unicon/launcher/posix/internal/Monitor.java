package org.unicon.launcher.posix.internal;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.unicon.launcher.LaunchRequest;

/**
 * The monitor of one container: the {@code monitor.pl} process that is the container's init
 * (see that script for its side of the contract), and what the launcher holds for it.
 *
 * <p>Files in the launcher directory: {@code command}, {@code environment}, {@code start.fifo},
 * {@code error}, {@code status} (and {@code .tmp} siblings) as the script describes, and
 * {@code monitor}: "{@code <pid> <start time>}", written before {@link #spawn} returns, which
 * recovery uses to tell the monitor from a later process with the same pid.
 */
final class Monitor {

    static final String PERL = "/usr/bin/perl";
    static final String FIFO = "start.fifo";
    static final String STATUS = "status";
    static final String RECORD = "monitor";
    private static final String COMMAND = "command";
    private static final String ENVIRONMENT = "environment";
    private static final String ERROR = "error";

    /** How long the monitor may take to start perl and open the FIFO. */
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    /** How long the monitor may take to record the status once its command is dead. */
    private static final Duration RECORD_GRACE = Duration.ofSeconds(10);
    /** How long killed processes may take to disappear (Mesos's cgroups_destroy_timeout). */
    private static final Duration KILL_TIMEOUT = Duration.ofSeconds(60);

    private final String name;
    private final Path directory;
    private final long pid;
    private final long startTime;
    private final CompletableFuture<Void> gone;
    private final ContainerProcesses processes;
    /** The write end of the FIFO, held from create until start (closing it makes the monitor exit). */
    private FileOutputStream release;

    private Monitor(String name, Path directory, long pid, long startTime, CompletableFuture<Void> gone) {
        this.name = name;
        this.directory = directory;
        this.pid = pid;
        this.startTime = startTime;
        this.gone = gone;
        this.processes = new ContainerProcesses(pid, startTime);
    }

    /** Starts the monitor and returns once it waits on the FIFO, in its own session. */
    static Monitor spawn(LaunchRequest request, String script) throws IOException, InterruptedException {
        String name = request.containerId().getValue();
        MonitorCommand command = MonitorCommand.of(request);
        Path dir = request.directory();
        Files.createDirectories(dir);
        for (String stale : List.of(FIFO, STATUS, ERROR, RECORD)) {
            Files.deleteIfExists(dir.resolve(stale));
        }
        writePrivately(dir.resolve(COMMAND), command.commandFile());
        writePrivately(dir.resolve(ENVIRONMENT), command.environmentFile());
        Path fifo = dir.resolve(FIFO);
        if (LibC.INSTANCE.mkfifo(fifo.toString(), 0600) != 0) {
            throw new IOException("cannot create FIFO " + fifo + ": " + LibC.describe(LibC.errno()));
        }
        Files.createDirectories(command.workingDirectory());

        ProcessBuilder builder = new ProcessBuilder(PERL, "-e", script, "--", dir.toString());
        builder.environment().clear();
        builder.environment().put("PATH", MonitorCommand.DEFAULT_PATH);
        builder.directory(command.workingDirectory().toFile());
        builder.redirectInput(Redirect.from(new File("/dev/null")));
        builder.redirectOutput(Redirect.appendTo(request.stdout().toFile()));
        builder.redirectError(Redirect.appendTo(request.stderr().toFile()));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IOException("cannot start the monitor of container '" + name + "' with "
                    + PERL + ": " + e.getMessage(), e);
        }
        try {
            long startTime = ProcessTable.read(process.pid()).map(ProcessTable.Entry::startTime)
                    .orElse(-1L);
            writePrivately(dir.resolve(RECORD), (process.pid() + " " + startTime + "\n")
                    .getBytes(StandardCharsets.US_ASCII));
            Monitor monitor = new Monitor(name, dir, process.pid(), startTime,
                    process.onExit().thenApply(p -> null));
            monitor.release = monitor.rendezvous(request.stderr());
            return monitor;
        } catch (IOException | InterruptedException | RuntimeException e) {
            process.destroyForcibly(); // it has not forked yet: it is the container's only process
            process.onExit().join();
            throw e;
        }
    }

    /**
     * The monitor of a container created by an earlier launcher, from its {@code monitor} record.
     * A monitor that is gone (or whose pid now belongs to another process) is recovered as ended.
     */
    static Monitor recover(String name, Path directory, ExitPoller poller) throws IOException {
        long pid = 0;
        long startTime = -1;
        try {
            String[] record = Files.readString(directory.resolve(RECORD)).trim().split(" ");
            pid = Long.parseLong(record[0]);
            startTime = Long.parseLong(record[1]);
        } catch (NoSuchFileException e) {
            // Created but never recorded: the monitor never got past create, so nothing ran.
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            throw new IOException("container '" + name + "' has a corrupt monitor record "
                    + directory.resolve(RECORD), e);
        }
        CompletableFuture<Void> gone = pid > 0 && ProcessTable.isRunning(pid, startTime)
                ? poller.watch(pid, startTime) : CompletableFuture.completedFuture(null);
        return new Monitor(name, directory, pid, startTime, gone);
    }

    long pid() {
        return pid;
    }

    /** Completes once the monitor process has ended (and, if this JVM started it, was reaped). */
    CompletableFuture<Void> gone() {
        return gone;
    }

    /** The raw wait status the monitor recorded; SIGKILL's if it recorded none. */
    int readStatus() throws IOException {
        try {
            String text = Files.readString(directory.resolve(STATUS), StandardCharsets.US_ASCII);
            return Integer.parseInt(text.trim());
        } catch (NoSuchFileException e) {
            return LibC.SIGKILL;
        } catch (NumberFormatException e) {
            throw new IOException("container '" + name + "' has a corrupt status file "
                    + directory.resolve(STATUS) + ": " + e.getMessage(), e);
        }
    }

    /** Lets the command run: one byte into the FIFO. */
    synchronized void start() throws IOException {
        if (release == null) {
            throw new IllegalStateException("container '" + name
                    + "' cannot be started: it was already started, killed or recovered");
        }
        try {
            release.write(1);
        } catch (IOException e) {
            throw new IOException("container '" + name + "' cannot be started: its monitor (pid "
                    + pid + ") has ended", e);
        } finally {
            closeRelease();
        }
    }

    /**
     * Sends {@code signal} to the monitor, which forwards it to the command. SIGKILL cannot be
     * forwarded: it goes to every process of the container but the monitor, which then records
     * the command's death; a monitor still waiting to start exits without running anything.
     * SIGSTOP cannot be forwarded either (it would stop the monitor): it and SIGCONT go to every
     * process of the container but the monitor.
     */
    synchronized void signal(int signal) throws IOException {
        if (signal == LibC.SIGKILL) {
            closeRelease();
            wakeFromFifo();
            processes.killAll();
        } else if (signal == LibC.SIGSTOP || signal == LibC.SIGCONT) {
            processes.signalAll(signal);
        } else if (ProcessTable.isRunning(pid, startTime) && LibC.INSTANCE.kill((int) pid, signal) != 0) {
            int errno = LibC.errno();
            if (errno != LibC.ESRCH) {
                throw new IOException("cannot send signal " + signal + " to the monitor (pid " + pid
                        + ") of container '" + name + "': " + LibC.describe(errno));
            }
        }
    }

    /** Kills every process of the container and returns once none, monitor included, is left. */
    void destroy() throws IOException, InterruptedException {
        synchronized (this) {
            closeRelease();
        }
        wakeFromFifo();
        // A monitor that has just read the start byte may fork the command after a scan: kill
        // again until the monitor has recorded the status and exited.
        long graceEnd = System.nanoTime() + RECORD_GRACE.toNanos();
        do {
            processes.killAllAndWait(KILL_TIMEOUT);
        } while (!awaitGone(Duration.ofMillis(100)) && System.nanoTime() < graceEnd);
        if (!gone.isDone()) {
            if (ProcessTable.isRunning(pid, startTime)) {
                LibC.INSTANCE.kill((int) pid, LibC.SIGKILL);
            }
            if (!awaitGone(KILL_TIMEOUT)) {
                throw new IOException("the monitor (pid " + pid + ") of container '" + name
                        + "' survived SIGKILL for " + KILL_TIMEOUT.toSeconds() + " s");
            }
        }
        processes.killAllAndWait(KILL_TIMEOUT);
    }

    /** Lets go of the monitor without touching it (the launcher is stopping). */
    synchronized void abandon() {
        closeRelease();
    }

    /**
     * Wakes a monitor blocked in opening the FIFO, as after an agent crash between starting it
     * and opening the write end: it then reads EOF and exits. Without such a reader, nothing.
     */
    private void wakeFromFifo() {
        int fd = LibC.INSTANCE.open(directory.resolve(FIFO).toString(),
                LibC.O_WRONLY | LibC.O_NONBLOCK | LibC.O_CLOEXEC);
        if (fd >= 0) {
            LibC.INSTANCE.close(fd);
        }
    }

    /** Opens the write end once the monitor has opened the read end (it is set up by then). */
    private FileOutputStream rendezvous(Path stderr) throws IOException, InterruptedException {
        Path fifo = directory.resolve(FIFO);
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        long pause = 1;
        while (true) {
            int fd = LibC.INSTANCE.open(fifo.toString(), LibC.O_WRONLY | LibC.O_NONBLOCK | LibC.O_CLOEXEC);
            if (fd >= 0) {
                try {
                    return new FileOutputStream(fifo.toFile()); // a reader exists: does not block
                } finally {
                    LibC.INSTANCE.close(fd);
                }
            }
            int errno = LibC.errno();
            if (errno != LibC.ENXIO && errno != LibC.EINTR) {
                throw new IOException("cannot open " + fifo + ": " + LibC.describe(errno));
            }
            if (gone.isDone()) {
                throw new IOException(setupFailure(stderr));
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("the monitor (pid " + pid + ") of container '" + name
                        + "' did not become ready within " + READY_TIMEOUT.toSeconds() + " s");
            }
            Thread.sleep(pause);
            pause = Math.min(pause * 2, 20);
        }
    }

    private String setupFailure(Path stderr) throws IOException {
        Path error = directory.resolve(ERROR);
        if (Files.exists(error)) {
            return "cannot create container '" + name + "': " + Files.readString(error).trim();
        }
        return "the monitor of container '" + name + "' ended before it was ready; see " + stderr;
    }

    private boolean awaitGone(Duration timeout) throws InterruptedException {
        try {
            gone.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true;
        }
    }

    private void closeRelease() {
        if (release != null) {
            try {
                release.close();
            } catch (IOException e) {
                // Closing a FIFO's write end cannot fail in a way that matters: the monitor sees EOF.
            }
            release = null;
        }
    }

    private static void writePrivately(Path file, byte[] content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(tmp, content);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
