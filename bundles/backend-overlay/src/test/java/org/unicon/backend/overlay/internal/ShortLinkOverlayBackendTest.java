package org.unicon.backend.overlay.internal;

import org.unicon.provisioner.ProvisionerBackend;
import org.unicon.testkit.backend.ProvisionerBackendConformance;

/** The conformance suite against overlay mounted by util-linux mount through short symlinks. */
class ShortLinkOverlayBackendTest extends ProvisionerBackendConformance {

    private final OverlayBackend backend = new OverlayBackend(KernelFilesystems.read(), new ShortLinkOverlay());

    @Override
    protected ProvisionerBackend backend() {
        return backend;
    }
}
