package org.unicon.shell.internal;

import java.util.function.Function;

import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.unicon.containerizer.Containerizer;

/**
 * Gogo commands for operators: {@code unicon:containers} and {@code unicon:plugins}. The
 * containerizer reference is optional so that the commands stay available, and say what is
 * wrong, while the core is not running.
 */
@Component(service = ShellCommands.class, property = {
        "osgi.command.scope=unicon",
        "osgi.command.function=containers",
        "osgi.command.function=plugins"})
public final class ShellCommands {

    static final String NO_CONTAINERIZER =
            "no containerizer service is registered: is bundle org.unicon.core active? (lb unicon; scr:list)\n";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile Containerizer containerizer;

    public ShellCommands() {
    }

    ShellCommands(Containerizer containerizer) {
        this.containerizer = containerizer;
    }

    @Descriptor("list every container: ID, state, image, and exit status or signal once terminated")
    public String containers() {
        return withContainerizer(c -> ContainerListing.format(c.containers()));
    }

    @Descriptor("list every isolator, launcher, image store and backend: status, bundle, requirements, problems")
    public String plugins() {
        return withContainerizer(c -> PluginListing.format(c.plugins()));
    }

    private String withContainerizer(Function<Containerizer, String> command) {
        Containerizer c = containerizer;  // read once: DS may unbind it meanwhile
        return c == null ? NO_CONTAINERIZER : command.apply(c);
    }
}
