package org.unicon.backend.copy.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.osgi.service.component.annotations.Component;
import org.unicon.provisioner.ProvisionerBackend;

/** Registers the {@link CopyBackend} as the provisioner backend named {@code copy}. */
@Component(service = ProvisionerBackend.class, property = ProvisionerBackend.NAME + "=copy")
public class CopyBackendComponent implements ProvisionerBackend {

    private final CopyBackend backend = new CopyBackend();

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
