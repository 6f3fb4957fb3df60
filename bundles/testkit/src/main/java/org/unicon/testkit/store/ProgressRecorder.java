package org.unicon.testkit.store;

import java.util.ArrayList;
import java.util.List;

import org.unicon.store.PullProgress;

/** Records what a store reports while it fetches; thread-safe, as stores call it from any thread. */
public class ProgressRecorder implements PullProgress {
    private final List<String> layers = new ArrayList<>();
    private final List<String> fetched = new ArrayList<>();
    private final List<String> done = new ArrayList<>();
    private long progressCalls;

    @Override
    public synchronized void layer(String digest, long size, boolean cached) {
        layers.add(digest);
        if (!cached) {
            fetched.add(digest);
        }
        event();
    }

    @Override
    public synchronized void progress(String digest, long bytes) {
        progressCalls++;
        event();
    }

    @Override
    public synchronized void done(String digest) {
        done.add(digest);
        event();
    }

    /** Called after every report; subclasses hook in here. */
    protected void event() {}

    /** Every layer reported, cached or not. */
    public synchronized List<String> layers() {
        return List.copyOf(layers);
    }

    /** The layers reported as to be fetched (not cached). */
    public synchronized List<String> fetched() {
        return List.copyOf(fetched);
    }

    public synchronized List<String> done() {
        return List.copyOf(done);
    }

    public synchronized long progressCalls() {
        return progressCalls;
    }
}
