package org.unicon.cli.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import org.unicon.model.Environment;

/**
 * Parses {@code --env} as {@code mesos-execute} does: a JSON object of variable names to string
 * values ({@code {"NAME":"value"}}), given inline or as a path to a file holding it (an absolute
 * path or a {@code file://} URI).
 */
final class EnvironmentFlag {

    private EnvironmentFlag() {
    }

    static Environment parse(String text) {
        String json = text.strip();
        String source = "--env";
        if (json.startsWith("file://") || json.startsWith("/")) {
            Path file = Path.of(json.startsWith("file://") ? json.substring("file://".length()) : json);
            source = "--env file " + file;
            try {
                json = Files.readString(file);
            } catch (IOException e) {
                throw CliException.usage("cannot read the --env file " + file + ": " + e.getMessage());
            }
        }
        JsonElement parsed;
        try {
            parsed = JsonParser.parseString(json);
        } catch (JsonParseException e) {
            throw CliException.usage(source + " is not valid JSON (" + rootMessage(e)
                    + "); expected an object such as {\"NAME\":\"value\"}");
        }
        if (!parsed.isJsonObject()) {
            throw CliException.usage(source + " must be a JSON object such as {\"NAME\":\"value\"}");
        }
        Environment.Builder environment = Environment.newBuilder();
        for (Map.Entry<String, JsonElement> entry : ((JsonObject) parsed).entrySet()) {
            String name = entry.getKey();
            JsonElement value = entry.getValue();
            if (name.isEmpty() || name.contains("=")) {
                throw CliException.usage(source + ": '" + name + "' is not a variable name");
            }
            if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
                throw CliException.usage(source + ": the value of " + name + " must be a string, not " + value);
            }
            environment.addVariables(Environment.Variable.newBuilder()
                    .setName(name)
                    .setType(Environment.Variable.Type.VALUE)
                    .setValue(value.getAsString()));
        }
        return environment.build();
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage();
    }
}
