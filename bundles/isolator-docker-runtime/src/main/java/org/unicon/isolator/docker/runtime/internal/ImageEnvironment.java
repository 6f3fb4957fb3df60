package org.unicon.isolator.docker.runtime.internal;

import java.util.List;
import java.util.function.Consumer;

import org.unicon.model.Environment;

/**
 * The image's environment ({@code Config.Env}, {@code NAME=VALUE}) as launch environment
 * variables. As in Mesos, an entry is split at its first {@code =}; an entry without one, or
 * with an empty name, is skipped. Precedence is the core's: the image's variables override the
 * defaults (PATH, MESOS_SANDBOX) and are overridden by {@code CommandInfo.environment}.
 */
final class ImageEnvironment {
    private ImageEnvironment() {}

    static Environment of(List<String> entries, Consumer<String> skipped) {
        Environment.Builder environment = Environment.newBuilder();
        for (String entry : entries) {
            int equals = entry.indexOf('=');
            if (equals <= 0) {
                skipped.accept(entry);
                continue;
            }
            environment.addVariables(Environment.Variable.newBuilder()
                    .setName(entry.substring(0, equals))
                    .setType(Environment.Variable.Type.VALUE)
                    .setValue(entry.substring(equals + 1)));
        }
        return environment.build();
    }
}
