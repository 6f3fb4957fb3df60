package org.unicon.backend.bind.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.osgi.service.component.annotations.Component;
import org.unicon.provisioner.ProvisionerBackend;

/** Registers the {@link BindBackend} as the provisioner backend named {@code bind}. */
@Component(service = ProvisionerBackend.class, property = ProvisionerBackend.NAME + "=bind")
public class BindBackendComponent implements ProvisionerBackend {

    private final BindBackend backend = new BindBackend();

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
