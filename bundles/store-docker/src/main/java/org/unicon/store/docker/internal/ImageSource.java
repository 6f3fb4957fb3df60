package org.unicon.store.docker.internal;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;

import org.unicon.layers.Digest;
import org.unicon.model.ImageRuntimeConfig;

/** Where images come from: a registry or a directory of archives. */
interface ImageSource {

    /** Starts resolving {@code ref}; {@code image} names it in messages. */
    Resolution resolve(ImageReference ref, RegistryCredentials credentials, String image) throws IOException;

    /** A reference being resolved; holds what it needs open (an archive) until closed. */
    interface Resolution extends Closeable {
        /** What the reference points at, when that is known cheaply (a HEAD), so an unchanged image is not fetched. */
        Optional<Digest> digest() throws IOException;

        /** The manifest and config, verified, with a source for each layer. */
        ResolvedImage load() throws IOException;

        @Override
        default void close() throws IOException {}
    }

    /** @param digest what the reference resolved to (manifest digest, or the image ID for archives) */
    record ResolvedImage(Digest digest, ImageRuntimeConfig runtime, List<LayerSource> layers) {}

    /** One layer to fetch. */
    interface LayerSource {
        /** The digest users see for this layer (blob digest), for progress and messages. */
        String id();

        /** Bytes to transfer, -1 when unknown. */
        long size();

        /** The uncompressed digest the image config promises, or null when the image has no config (legacy archives). */
        Digest diffId();

        /**
         * The layer's bytes (compressed or not). Reading to the end verifies them against the
         * descriptor when there is one; {@code progress} gets the byte count so far.
         */
        InputStream open(LongConsumer progress) throws IOException;
    }
}
