package org.unicon.backend.overlay.internal;

import org.unicon.provisioner.ProvisionerBackend;
import org.unicon.testkit.backend.ProvisionerBackendConformance;

/** The conformance suite against overlay mounted through the new mount API (fsopen/fsconfig). */
class OverlayBackendTest extends ProvisionerBackendConformance {

    private final OverlayBackend backend = new OverlayBackend(KernelFilesystems.read(), new MountApiOverlay());

    @Override
    protected ProvisionerBackend backend() {
        return backend;
    }
}
