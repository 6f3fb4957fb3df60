package org.unicon.store.docker.internal;

import java.util.concurrent.CopyOnWriteArrayList;

import org.unicon.store.PullProgress;

/**
 * Passes one pull's progress to every caller waiting for it: a caller that joins a pull
 * already under way gets the events from then on. A listener that throws is logged and
 * otherwise ignored; it must not break the pull others wait for.
 */
final class ProgressFanout implements LayerProgress {
    private static final System.Logger LOG = System.getLogger(ProgressFanout.class.getName());

    private final CopyOnWriteArrayList<PullProgress> listeners = new CopyOnWriteArrayList<>();

    void add(PullProgress p) {
        listeners.add(p);
    }

    @Override
    public void layer(String digest, long size, boolean cached) {
        for (PullProgress p : listeners) {
            try {
                p.layer(digest, size, cached);
            } catch (RuntimeException e) {
                log(e);
            }
        }
    }

    @Override
    public void progress(String digest, long bytes) {
        for (PullProgress p : listeners) {
            try {
                p.progress(digest, bytes);
            } catch (RuntimeException e) {
                log(e);
            }
        }
    }

    @Override
    public void done(String digest) {
        for (PullProgress p : listeners) {
            try {
                p.done(digest);
            } catch (RuntimeException e) {
                log(e);
            }
        }
    }

    private static void log(RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "a pull progress listener failed: {0}", e.toString());
    }
}
