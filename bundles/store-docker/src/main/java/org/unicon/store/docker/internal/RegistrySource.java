package org.unicon.store.docker.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;

import org.unicon.layers.Digest;

/**
 * Resolves images on a registry: HEAD for a tag's digest, then the manifest (following an
 * index to its linux/amd64 entry, fetched by digest and verified), then the config, whose
 * {@code diff_ids} pair up with the manifest's layers.
 */
final class RegistrySource implements ImageSource {
    private static final int MAX_CONFIG = Json.MAX_DOCUMENT;

    private final RegistryClient client;
    private final URI configured;

    /** @param configured the docker_registry URL, used for references that name no host; null for Docker Hub */
    RegistrySource(RegistryClient client, URI configured) {
        this.client = client;
        this.configured = configured;
    }

    @Override
    public Resolution resolve(ImageReference ref, RegistryCredentials credentials, String image) {
        URI base = RegistryTarget.baseFor(ref.registry(), configured);
        RegistryTarget target = new RegistryTarget(base, ref.repository(), credentials.forHost(base.getRawAuthority()));
        return new Resolution() {
            private Optional<Digest> head;

            @Override
            public Optional<Digest> digest() throws IOException {
                if (head == null) {
                    head = ref.digest() != null ? Optional.of(ref.digest())
                            : client.headManifest(target, ref.manifestReference(), image);
                }
                return head;
            }

            @Override
            public ResolvedImage load() throws IOException {
                return RegistrySource.this.load(target, ref, digest().orElse(null), image);
            }
        };
    }

    private ResolvedImage load(RegistryTarget target, ImageReference ref, Digest known, String image) throws IOException {
        RegistryClient.ManifestResponse top = known != null
                ? client.getManifest(target, known.toString(), known, image)
                : client.getManifest(target, ref.manifestReference(), null, image);
        Manifest m = Manifest.parse(top.body(), top.contentType(), "manifest of image '" + image + "'");
        if (m instanceof Manifest.Index index) {
            Descriptor chosen = PlatformSelection.select(index, image);
            RegistryClient.ManifestResponse one = client.getManifest(target, chosen.digest().toString(), chosen.digest(), image);
            if (one.body().length != chosen.size()) {
                throw new BlobVerificationException("manifest " + chosen.digest() + " of image '" + image + "' is "
                        + one.body().length + " bytes but the index says " + chosen.size());
            }
            m = Manifest.parse(one.body(), one.contentType(), "manifest " + chosen.digest() + " of image '" + image + "'");
            if (!(m instanceof Manifest.Image)) {
                throw new PullException("image '" + image + "': the index entry for linux/amd64 is itself an index");
            }
        }
        Manifest.Image manifest = (Manifest.Image) m;
        if (!MediaTypes.CONFIGS.contains(manifest.config().mediaType())) {
            throw new PullException("image '" + image + "' is not a container image (its config has media type "
                    + Descriptor.printable(manifest.config().mediaType()) + ")");
        }
        byte[] configBytes = client.getBlob(target, manifest.config(), MAX_CONFIG, image);
        ImageConfig config = ImageConfig.parse(configBytes, "config of image '" + image + "'");
        List<LayerSource> layers = layerSources(target, manifest, config, image);
        return new ResolvedImage(top.digest(), config.runtime(), layers);
    }

    private List<LayerSource> layerSources(RegistryTarget target, Manifest.Image manifest, ImageConfig config,
                                           String image) throws PullException {
        if (manifest.layers().size() != config.diffIds().size()) {
            throw new PullException("image '" + image + "' is inconsistent: its manifest lists " + manifest.layers().size()
                    + " layers but its config " + config.diffIds().size() + " diff_ids");
        }
        List<LayerSource> out = new ArrayList<>();
        for (int i = 0; i < manifest.layers().size(); i++) {
            Descriptor d = manifest.layers().get(i);
            Digest diffId = config.diffIds().get(i);
            boolean foreign = MediaTypes.FOREIGN_LAYERS.contains(d.mediaType());
            if (!foreign && !MediaTypes.LAYERS.contains(d.mediaType())) {
                throw new PullException("image '" + image + "': layer " + d.digest() + " has media type "
                        + Descriptor.printable(d.mediaType()) + ", which is not a tar layer this store can unpack");
            }
            out.add(new LayerSource() {
                @Override
                public String id() {
                    return d.digest().toString();
                }

                @Override
                public long size() {
                    return d.size();
                }

                @Override
                public Digest diffId() {
                    return diffId;
                }

                @Override
                public InputStream open(LongConsumer progress) throws IOException {
                    if (foreign && !d.urls().isEmpty()) {
                        throw new PullException("image '" + image + "': layer " + d.digest()
                                + " is a foreign layer hosted at " + Descriptor.printable(String.join(" ", d.urls()))
                                + "; foreign layers are not fetched");
                    }
                    return client.openBlob(target, d, image, progress);
                }
            });
        }
        return out;
    }
}
