package org.unicon.store.docker.internal;

import java.util.Locale;
import java.util.Set;

/** The media types of the Docker image manifest v2 schema 2 and the OCI image spec. */
final class MediaTypes {
    static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    static final String DOCKER_SCHEMA1 = "application/vnd.docker.distribution.manifest.v1+json";
    static final String DOCKER_SCHEMA1_SIGNED = "application/vnd.docker.distribution.manifest.v1+prettyjws";

    static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
    static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";

    /** Sent as {@code Accept} on every manifest request: all four types we understand. */
    static final String MANIFEST_ACCEPT = String.join(", ", OCI_INDEX, DOCKER_LIST, OCI_MANIFEST, DOCKER_MANIFEST);

    static final Set<String> MANIFESTS = Set.of(DOCKER_MANIFEST, OCI_MANIFEST);
    static final Set<String> INDEXES = Set.of(DOCKER_LIST, OCI_INDEX);
    static final Set<String> CONFIGS = Set.of(DOCKER_CONFIG, OCI_CONFIG);

    /** Layers we extract: the extractor recognises gzip, zstd and plain tar by their magic bytes. */
    static final Set<String> LAYERS = Set.of(
            "application/vnd.docker.image.rootfs.diff.tar.gzip",
            "application/vnd.docker.image.rootfs.diff.tar",
            "application/vnd.oci.image.layer.v1.tar",
            "application/vnd.oci.image.layer.v1.tar+gzip",
            "application/vnd.oci.image.layer.v1.tar+zstd");

    /** Layers whose blobs may live elsewhere ({@code urls}); never fetched from there. */
    static final Set<String> FOREIGN_LAYERS = Set.of(
            "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
            "application/vnd.oci.image.layer.nondistributable.v1.tar",
            "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
            "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd");

    private MediaTypes() {}

    /** A Content-Type value without parameters, lower case; empty for null. */
    static String base(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semi = contentType.indexOf(';');
        return (semi >= 0 ? contentType.substring(0, semi) : contentType).trim().toLowerCase(Locale.ROOT);
    }
}
