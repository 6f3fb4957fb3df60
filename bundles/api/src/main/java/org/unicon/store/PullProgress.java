package org.unicon.store;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Where a store reports how a fetch is going, layer by layer. The core implements it and may
 * be called from any thread; the calls are cheap and never block the store.
 */
@ProviderType
public interface PullProgress {

    /** A layer is needed: {@code size} bytes to fetch (-1 if unknown), or none if {@code cached}. */
    void layer(String digest, long size, boolean cached);

    /** {@code bytes} of the layer have arrived so far (cumulative). */
    void progress(String digest, long bytes);

    /** The layer is verified and stored. */
    void done(String digest);

    /** Reports nothing. */
    static PullProgress none() {
        return NoProgress.INSTANCE;
    }
}
