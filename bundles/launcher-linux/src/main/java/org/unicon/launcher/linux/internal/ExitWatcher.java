package org.unicon.launcher.linux.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Notices that containers ended: conmon writes the exit code to {@code <exit dir>/<id>}
 * (atomically, by rename) and then exits. Each exit directory is watched with inotify (the JDK's
 * WatchService), so a stage completes as soon as the file appears — also for containers recovered
 * after an agent restart, whose conmon is not our child. conmon dying without writing the file
 * (killed by SIGKILL, OOM) is caught by a slow liveness check of its pid and start time.
 */
final class ExitWatcher implements AutoCloseable {

    private static final Logger LOG = System.getLogger(ExitWatcher.class.getName());
    private static final long LIVENESS_MILLIS = 500;

    private final WatchService inotify;
    private final Map<WatchKey, List<Watch>> byKey = new ConcurrentHashMap<>();
    private final List<Watch> all = new CopyOnWriteArrayList<>();
    private final Thread events;
    private final ScheduledExecutorService liveness = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "unicon-linux-launcher-conmon-liveness");
        t.setDaemon(true);
        return t;
    });

    /** One container: its exit file, its conmon, and the stage of conmon's exit code. */
    private record Watch(Path exitFile, long conmonPid, long conmonStartTime, WatchKey key,
            CompletableFuture<OptionalInt> code) {
    }

    ExitWatcher() {
        try {
            inotify = FileSystems.getDefault().newWatchService();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot watch exit files (inotify)", e);
        }
        events = new Thread(this::dispatch, "unicon-linux-launcher-exit-watcher");
        events.setDaemon(true);
        events.start();
        liveness.scheduleWithFixedDelay(this::checkAll, LIVENESS_MILLIS, LIVENESS_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * Completes with the exit code conmon recorded for container {@code id}, or with an empty
     * value once conmon is gone without having recorded one.
     */
    CompletableFuture<OptionalInt> watch(Path exitDirectory, String id, long conmonPid, long conmonStartTime)
            throws IOException {
        WatchKey key = exitDirectory.register(inotify, StandardWatchEventKinds.ENTRY_CREATE,
                StandardWatchEventKinds.ENTRY_MODIFY);
        Watch w = new Watch(exitDirectory.resolve(id), conmonPid, conmonStartTime, key, new CompletableFuture<>());
        byKey.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(w);
        all.add(w);
        w.code().whenComplete((c, e) -> forget(w));
        check(w); // it may have been written before the watch was registered
        return w.code();
    }

    /** The exit code in a conmon exit file, empty if there is no such file (yet). */
    static OptionalInt read(Path exitFile) throws IOException {
        try {
            String text = Files.readString(exitFile, StandardCharsets.US_ASCII).strip();
            return text.isEmpty() ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(text));
        } catch (NoSuchFileException e) {
            return OptionalInt.empty();
        } catch (NumberFormatException e) {
            throw new IOException("conmon's exit file " + exitFile + " is corrupt", e);
        }
    }

    /**
     * The raw wait(2) status for conmon's exit code. conmon records {@code WEXITSTATUS} for an
     * exit and {@code 128 + signal} for a death by signal, so the two overlap: a code of 129 to
     * 192 is taken as the signal (the usual case: {@code exit 137} is rare, SIGKILL is not), and
     * a command that really exited with such a code is reported as killed by that signal.
     * No recorded code (conmon killed, or a negative code) counts as SIGKILL, as the SPI says.
     */
    static int waitStatus(OptionalInt code) {
        if (code.isEmpty() || code.getAsInt() < 0) {
            return 9;
        }
        int c = code.getAsInt();
        if (c > 128 && c <= 128 + 64) {
            return c - 128;
        }
        return (c & 0xff) << 8;
    }

    @Override
    public void close() {
        liveness.shutdownNow();
        try {
            inotify.close();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot close the exit watcher: " + e.getMessage());
        }
        events.interrupt();
    }

    private void dispatch() {
        while (true) {
            WatchKey key;
            try {
                key = inotify.take();
            } catch (ClosedWatchServiceException | InterruptedException e) {
                return;
            }
            key.pollEvents(); // which file changed does not matter: every watch of the key is checked
            key.reset();
            for (Watch w : byKey.getOrDefault(key, List.of())) {
                check(w);
            }
        }
    }

    private void checkAll() {
        for (Watch w : all) {
            check(w);
        }
    }

    private void check(Watch w) {
        if (w.code().isDone()) {
            return;
        }
        try {
            OptionalInt code = read(w.exitFile());
            if (code.isPresent()) {
                w.code().complete(code);
            } else if (!ProcessTable.isRunning(w.conmonPid(), w.conmonStartTime())) {
                // conmon renames the file into place before it exits: read once more, then give up
                w.code().complete(read(w.exitFile()));
            }
        } catch (IOException e) {
            w.code().completeExceptionally(e);
        }
    }

    private void forget(Watch w) {
        all.remove(w);
        List<Watch> same = byKey.get(w.key());
        if (same != null) {
            same.remove(w);
            if (same.isEmpty() && byKey.remove(w.key(), same)) {
                w.key().cancel();
            }
        }
    }
}
