package org.unicon.backend.overlay.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.osgi.service.component.annotations.Component;
import org.unicon.provisioner.ProvisionerBackend;

/** Registers the {@link AufsBackend} as the provisioner backend named {@code aufs}. */
@Component(service = ProvisionerBackend.class, property = ProvisionerBackend.NAME + "=aufs")
public class AufsBackendComponent implements ProvisionerBackend {

    private final AufsBackend backend = new AufsBackend(KernelFilesystems.read());

    @Override
    public Optional<String> unavailable(Path storeDirectory) {
        return backend.unavailable(storeDirectory);
    }

    @Override
    public void provision(List<Path> layers, Path rootfs) throws Exception {
        backend.provision(layers, rootfs);
    }

    @Override
    public void destroy(Path rootfs) throws Exception {
        backend.destroy(rootfs);
    }
}
