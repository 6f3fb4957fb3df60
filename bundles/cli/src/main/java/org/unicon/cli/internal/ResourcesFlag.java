package org.unicon.cli.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.unicon.model.Resource;
import org.unicon.model.Value;

/**
 * Parses Mesos's resource text, as {@code mesos-execute --resources} takes it:
 * {@code name:value} parts separated by {@code ;}, where value is a scalar
 * ({@code cpus:0.5}), ranges ({@code ports:[31000-31005,31010-31010]}) or a set
 * ({@code zones:{a,b}}). A part that does not parse is named in the error.
 */
final class ResourcesFlag {

    private static final Pattern PART = Pattern.compile("([A-Za-z_][\\w.\\-/]*)(?:\\(([^()]*)\\))?:(.*)", Pattern.DOTALL);
    private static final Pattern RANGE = Pattern.compile("(\\d+)-(\\d+)");

    private ResourcesFlag() {
    }

    static List<Resource> parse(String text) {
        List<Resource> resources = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (String raw : text.split(";")) {
            String part = raw.strip();
            if (part.isEmpty()) {
                continue;
            }
            Matcher m = PART.matcher(part);
            if (!m.matches()) {
                throw bad(text, part, "is not name:value");
            }
            String name = m.group(1);
            if (!names.add(name)) {
                throw bad(text, part, "names '" + name + "' a second time");
            }
            Resource.Builder resource = Resource.newBuilder().setName(name);
            if (m.group(2) != null) {
                throw bad(text, part, "names a role, but standalone containers take unreserved resources only");
            }
            String value = m.group(3).strip();
            if (value.startsWith("[")) {
                resource.setType(Value.Type.RANGES).setRanges(ranges(text, part, value));
            } else if (value.startsWith("{")) {
                resource.setType(Value.Type.SET).setSet(set(text, part, value));
            } else {
                resource.setType(Value.Type.SCALAR).setScalar(scalar(text, part, value));
            }
            resources.add(resource.build());
        }
        return resources;
    }

    private static Value.Scalar scalar(String text, String part, String value) {
        double number;
        try {
            number = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw bad(text, part, "has '" + value + "', which is not a number, [ranges] or {set}");
        }
        if (!(number >= 0) || Double.isInfinite(number)) {
            throw bad(text, part, "has '" + value + "', but a scalar must be a finite number >= 0");
        }
        return Value.Scalar.newBuilder().setValue(number).build();
    }

    private static Value.Ranges ranges(String text, String part, String value) {
        if (!value.endsWith("]")) {
            throw bad(text, part, "opens '[' but does not close it");
        }
        Value.Ranges.Builder ranges = Value.Ranges.newBuilder();
        for (String raw : value.substring(1, value.length() - 1).split(",")) {
            String range = raw.strip();
            Matcher m = RANGE.matcher(range);
            if (!m.matches()) {
                throw bad(text, part, "has range '" + range + "', which is not begin-end");
            }
            long begin;
            long end;
            try {
                begin = Long.parseLong(m.group(1));
                end = Long.parseLong(m.group(2));
            } catch (NumberFormatException e) {
                throw bad(text, part, "has range '" + range + "' with a number too large");
            }
            if (begin > end) {
                throw bad(text, part, "has range '" + range + "', which begins after it ends");
            }
            ranges.addRange(Value.Range.newBuilder().setBegin(begin).setEnd(end));
        }
        return ranges.build();
    }

    private static Value.Set set(String text, String part, String value) {
        if (!value.endsWith("}")) {
            throw bad(text, part, "opens '{' but does not close it");
        }
        Value.Set.Builder set = Value.Set.newBuilder();
        for (String raw : value.substring(1, value.length() - 1).split(",")) {
            String item = raw.strip();
            if (item.isEmpty()) {
                throw bad(text, part, "has an empty set item");
            }
            set.addItem(item);
        }
        return set.build();
    }

    private static CliException bad(String text, String part, String problem) {
        return CliException.usage("--resources: '" + part + "' " + problem + " (in '" + text
                + "'; expected e.g. 'cpus:0.5;mem:64')");
    }
}
