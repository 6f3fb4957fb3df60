package org.unicon.agent.http.internal;

import static java.lang.System.Logger.Level.WARNING;

import java.io.IOException;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.unicon.containerizer.Containerizer;

/**
 * Serves the agent API while a {@link Containerizer} is registered (a static, mandatory
 * reference: when the containerizer goes away, the server stops). A changed configuration
 * rebinds in place; a bad one is rejected and the previous one stays in force.
 */
@Component(configurationPid = AgentHttpComponent.Config.PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = AgentHttpComponent.Config.class)
public final class AgentHttpComponent {

    private static final System.Logger LOG = System.getLogger(AgentHttpComponent.class.getName());

    /** Method names map to property names: a double underscore stands for one underscore. */
    @ObjectClassDefinition(name = "Unicon agent HTTP API",
            description = "The v1 agent API (POST /api/v1) for standalone containers")
    public @interface Config {
        String PID = "unicon.agent.http";

        @AttributeDefinition(description = "host:port to listen on, like a Mesos agent's; "
                + "an IPv6 host in brackets ([::1]:5051); port 0 picks a free port")
        String address() default "127.0.0.1:5051";

        @AttributeDefinition(description = "The largest request body accepted, in bytes; "
                + "a larger one is refused with 413 without being read")
        long max__body__bytes() default 1048576;
    }

    private final ApiEndpoint endpoint;

    @Activate
    public AgentHttpComponent(@Reference(name = "containerizer") Containerizer containerizer,
            BundleContext context, Config config) throws IOException {
        AgentApi api = new AgentApi(containerizer, context.getBundle().getVersion().toString());
        this.endpoint = new ApiEndpoint(api, settings(config));
    }

    @Modified
    void modified(Config config) throws IOException {
        try {
            endpoint.apply(settings(config));
        } catch (IllegalArgumentException | IOException e) {
            LOG.log(WARNING, "configuration {0} rejected, the previous one stays in force: {1}",
                    Config.PID, e.getMessage());
            throw e;
        }
    }

    @Deactivate
    void deactivate() {
        endpoint.close();
    }

    private static EndpointSettings settings(Config config) {
        return EndpointSettings.parse(config.address(), config.max__body__bytes());
    }
}
