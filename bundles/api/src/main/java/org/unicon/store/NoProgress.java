package org.unicon.store;

/** The {@link PullProgress} that reports nothing. */
enum NoProgress implements PullProgress {
    INSTANCE;

    @Override
    public void layer(String digest, long size, boolean cached) {}

    @Override
    public void progress(String digest, long bytes) {}

    @Override
    public void done(String digest) {}
}
