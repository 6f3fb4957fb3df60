package org.unicon.backend.copy.internal;

import org.unicon.provisioner.ProvisionerBackend;
import org.unicon.testkit.backend.ProvisionerBackendConformance;

/** The conformance suite for copy. */
class CopyBackendTest extends ProvisionerBackendConformance {

    private final CopyBackend backend = new CopyBackend();

    @Override
    protected ProvisionerBackend backend() {
        return backend;
    }
}
