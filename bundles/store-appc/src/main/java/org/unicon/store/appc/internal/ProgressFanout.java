package org.unicon.store.appc.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.unicon.store.PullProgress;

/**
 * The progress of one ACI fetch, passed to every caller waiting for it: a caller that joins a
 * fetch under way gets the events from then on. A listener that throws is logged and otherwise
 * ignored; it must not break the fetch others wait for.
 */
final class ProgressFanout implements PullProgress {
    private static final System.Logger LOG = System.getLogger(ProgressFanout.class.getName());

    private final List<PullProgress> listeners = new CopyOnWriteArrayList<>();

    ProgressFanout(PullProgress first) {
        listeners.add(first);
    }

    void add(PullProgress listener) {
        listeners.add(listener);
    }

    @Override
    public void layer(String digest, long size, boolean cached) {
        each(p -> p.layer(digest, size, cached));
    }

    @Override
    public void progress(String digest, long bytes) {
        each(p -> p.progress(digest, bytes));
    }

    @Override
    public void done(String digest) {
        each(p -> p.done(digest));
    }

    private void each(Consumer<PullProgress> event) {
        for (PullProgress p : listeners) {
            try {
                event.accept(p);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "a pull progress listener failed: {0}", e.toString());
            }
        }
    }
}
