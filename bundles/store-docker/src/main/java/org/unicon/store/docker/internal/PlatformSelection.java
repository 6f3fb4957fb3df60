package org.unicon.store.docker.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Picks the entry of a manifest list / OCI index that runs here: linux/amd64 (any variant;
 * amd64 variants v2..v4 only add CPU features and are rarely used in lists). Entries without a
 * platform, such as attestation manifests, never match. No match is an error that lists what
 * the image offers, so the user can tell a wrong image from a wrong host.
 */
final class PlatformSelection {
    static final String OS = "linux";
    static final String ARCHITECTURE = "amd64";

    private PlatformSelection() {}

    static Descriptor select(Manifest.Index index, String image) throws PullException {
        List<String> offered = new ArrayList<>();
        for (Descriptor d : index.manifests()) {
            Descriptor.Platform p = d.platform();
            if (p == null) {
                continue;
            }
            if (OS.equals(p.os()) && ARCHITECTURE.equals(p.architecture())
                    && (p.variant() == null || p.variant().isEmpty() || p.variant().equals("v1"))
                    && MediaTypes.MANIFESTS.contains(d.mediaType())) {
                return d;
            }
            offered.add(Descriptor.printable(p.toString()));
        }
        throw new PullException("image '" + image + "' has no " + OS + "/" + ARCHITECTURE + " manifest; it offers "
                + (offered.isEmpty() ? "no platforms" : String.join(", ", offered)));
    }
}
