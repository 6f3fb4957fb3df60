package org.unicon.store.appc.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.unicon.layers.ExtractOptions;
import org.unicon.model.Image;
import org.unicon.model.ImageSummary;
import org.unicon.store.ImageStore;
import org.unicon.store.PullProgress;
import org.unicon.store.StoredImage;

/**
 * Registers the appc {@link ImageStore} ({@code unicon.store.type=APPC}) configured by Mesos's
 * flag names; a configuration change replaces the store (Declarative Services deactivates and
 * activates the component). A bad prefix fails the activation with a message naming the key.
 */
@Component(service = ImageStore.class, configurationPid = AppcStoreComponent.PID,
        property = ImageStore.TYPE + "=APPC")
@Designate(ocd = AppcStoreComponent.Config.class)
public final class AppcStoreComponent implements ImageStore {
    public static final String PID = "unicon.store.appc";

    /** Declarative Services turns {@code __} in a method name into {@code _}. */
    @ObjectClassDefinition(name = "Unicon appc image store", description = "Where appc images (ACIs) come from and"
            + " where they are kept")
    public @interface Config {
        @AttributeDefinition(description = "Simple discovery: the ACI of image NAME is fetched from this prefix"
                + " followed by NAME-VERSION-OS-ARCH.aci; it starts with http://, https:// or file:///")
        String appc__simple__discovery__uri__prefix() default "http://";

        @AttributeDefinition(description = "Where the store keeps verified ACIs and image records")
        String appc__store__dir() default "/var/lib/unicon/store/appc";
    }

    private AppcStore store;

    @Activate
    void activate(Config config) throws IOException {
        SimpleDiscovery discovery = SimpleDiscovery.parse(config.appc__simple__discovery__uri__prefix());
        Path dir = Path.of(config.appc__store__dir().trim());
        if (!dir.isAbsolute()) {
            throw new IllegalArgumentException("unicon.store.appc: appc_store_dir must be an absolute path, not '"
                    + config.appc__store__dir() + "'");
        }
        this.store = new AppcStore(dir, discovery, ExtractOptions.defaults(), Clock.systemUTC());
    }

    @Override
    public StoredImage get(Image image, PullProgress progress) throws Exception {
        return store.get(image, progress);
    }

    @Override
    public List<ImageSummary> images() throws Exception {
        return store.images();
    }

    @Override
    public void recover() throws Exception {
        store.recover();
    }

    @Override
    public void prune(List<Image> excluded, Set<Path> layersInUse) throws Exception {
        store.prune(excluded, layersInUse);
    }
}
