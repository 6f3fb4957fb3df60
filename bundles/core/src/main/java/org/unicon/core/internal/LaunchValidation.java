package org.unicon.core.internal;

import java.util.List;
import java.util.Map;

import org.unicon.containerizer.ContainerizerException;
import org.unicon.containerizer.ContainerizerException.Kind;
import org.unicon.model.CommandInfo;
import org.unicon.model.Environment;
import org.unicon.model.Resource;
import org.unicon.model.Value;
import org.unicon.model.agent.Call;

/** Checks a launch request before anything is created, with messages that name the field. */
final class LaunchValidation {
    private LaunchValidation() {}

    static void validate(Call.LaunchContainer request) throws ContainerizerException {
        boolean hasImage = request.getContainer().getMesos().hasImage();
        if (request.hasContainer() && request.getContainer().getType() == org.unicon.model.ContainerInfo.Type.DOCKER) {
            throw invalid("container.type DOCKER (the Docker containerizer) is not supported; use MESOS with mesos.image");
        }
        if (!request.hasCommand() && !hasImage) {
            throw invalid("command is missing (a container without an image needs a command)");
        }
        CommandInfo command = request.getCommand();
        if (command.getShell() && !command.hasValue() && !hasImage) {
            throw invalid("command.value is missing (shell commands need a value)");
        }
        if (!command.getShell() && !command.hasValue() && !hasImage) {
            throw invalid("command.value is missing (with shell=false it is the executable)");
        }
        if (command.getUrisCount() > 0) {
            throw invalid("command.uris: fetching URIs is not supported yet");
        }
        for (Environment.Variable variable : command.getEnvironment().getVariablesList()) {
            if (!variable.hasName() || variable.getName().isEmpty() || variable.getName().contains("=")) {
                throw invalid("command.environment has a variable with an empty name or a name containing '='");
            }
            if (variable.getType() == Environment.Variable.Type.SECRET) {
                throw invalid("command.environment variable '" + variable.getName()
                        + "' is a secret; secret variables are not supported yet");
            }
        }
        validateResources(request.getResourcesList(), request.getLimitsMap());
    }

    /** The checks on resources and limits that a launch and an update share. */
    static void validateResources(List<Resource> resources, Map<String, Value.Scalar> limits)
            throws ContainerizerException {
        for (Resource resource : resources) {
            validate(resource);
        }
        for (Map.Entry<String, Value.Scalar> limit : limits.entrySet()) {
            double v = limit.getValue().getValue();
            if (Double.isNaN(v) || v < 0) {
                throw invalid("limits." + limit.getKey() + " is " + v + "; limits must be non-negative");
            }
        }
    }

    private static void validate(Resource resource) throws ContainerizerException {
        if (!resource.hasName() || resource.getName().isEmpty()) {
            throw invalid("a resource has no name");
        }
        String name = resource.getName();
        switch (resource.getType()) {
            case SCALAR -> {
                if (!resource.hasScalar()) {
                    throw invalid("resource '" + name + "' is SCALAR but has no scalar value");
                }
                double v = resource.getScalar().getValue();
                if (!Double.isFinite(v) || v < 0) {
                    throw invalid("resource '" + name + "' is " + v + "; scalar resources must be finite and non-negative");
                }
            }
            case RANGES -> {
                for (Value.Range range : resource.getRanges().getRangeList()) {
                    if (range.getBegin() > range.getEnd()) {
                        throw invalid("resource '" + name + "' has the range [" + range.getBegin() + "-"
                                + range.getEnd() + "], whose begin is after its end");
                    }
                }
            }
            default -> {
                // SET and TEXT carry no constraints the containerizer can check.
            }
        }
    }

    private static ContainerizerException invalid(String message) {
        return new ContainerizerException(Kind.INVALID, message);
    }
}
