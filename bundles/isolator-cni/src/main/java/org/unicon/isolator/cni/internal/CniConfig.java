package org.unicon.isolator.cni.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The configuration of {@code network/cni} (PID {@value #PID}); names follow the Mesos agent's
 * flags. Declarative Services turns {@code __} in a method name into {@code _}.
 */
@ObjectClassDefinition(pid = CniConfig.PID, name = "Unicon network/cni isolator",
        description = "Containers join CNI networks by name (ContainerInfo.network_infos)")
public @interface CniConfig {
    String PID = "unicon.isolator.cni";

    @AttributeDefinition(description = "Directory of CNI network configurations (*.conf, *.conflist, *.json), each"
            + " with a unique name; read at every launch, so networks can be added or changed while the agent runs."
            + " Empty: no network is configured, and containers asking for one are refused")
    String network__cni__config__dir() default "";

    @AttributeDefinition(description = "Where the CNI plugins are: directories separated by ':' (Debian's"
            + " containernetworking-plugins install them in /usr/lib/cni)")
    String network__cni__plugins__dir() default "/usr/lib/cni";

    @AttributeDefinition(description = "Where each container's network namespace handle, /etc files and CNI results"
            + " are kept (<dir>/<container id>/); empty: <runtime_dir>/isolators/network/cni. It must survive agent"
            + " restarts as long as the containers do")
    String network__cni__root__dir() default "";

    @AttributeDefinition(description = "Host ports given to port mappings whose host_port is 0, as Mesos's ports"
            + " resource: ranges such as [31000-32000] or [8000-9000,31000-32000]")
    String ports() default "[31000-32000]";
}
