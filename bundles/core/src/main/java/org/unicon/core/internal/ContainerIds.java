package org.unicon.core.internal;

import org.unicon.containerizer.ContainerizerException;
import org.unicon.containerizer.ContainerizerException.Kind;
import org.unicon.model.ContainerID;

/** Mesos's rules for container IDs; an ID that passes is safe to use as a directory name. */
final class ContainerIds {
    static final int MAX_LENGTH = 242;

    private ContainerIds() {}

    static String validate(ContainerID id) throws ContainerizerException {
        if (id == null || !id.hasValue() || id.getValue().isEmpty()) {
            throw new ContainerizerException(Kind.INVALID, "container_id.value is missing");
        }
        String value = id.getValue();
        if (id.hasParent()) {
            throw new ContainerizerException(Kind.INVALID,
                    "container '" + value + "' has a parent: nested containers are not supported");
        }
        if (value.length() > MAX_LENGTH) {
            throw new ContainerizerException(Kind.INVALID, "container ID is " + value.length()
                    + " characters long; at most " + MAX_LENGTH + " are allowed");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '/' || c == '\\' || c == '.' || Character.isWhitespace(c) || Character.isISOControl(c)) {
                throw new ContainerizerException(Kind.INVALID, "container ID '" + printable(value)
                        + "' contains '" + printable(String.valueOf(c))
                        + "'; IDs may not contain '/', '\\', '.', whitespace or control characters");
            }
        }
        return value;
    }

    private static String printable(String s) {
        StringBuilder out = new StringBuilder();
        s.codePoints().forEach(c -> {
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }
}
