package org.unicon.store.docker.internal;

/**
 * The store's own view of {@link org.unicon.store.PullProgress} (same calls). It is a separate
 * type because PullProgress is a provider type: implementing it would tie this bundle to the
 * API's minor version.
 */
interface LayerProgress {
    void layer(String digest, long size, boolean cached);

    void progress(String digest, long bytes);

    void done(String digest);
}
