package org.unicon.shell.internal;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import org.unicon.model.PluginInfo;

/**
 * What {@code unicon:plugins} prints: every plugin service the containerizer sees and every
 * configured one that is missing or unusable, by kind and name, then a summary of the problems.
 */
final class PluginListing {

    private PluginListing() {
    }

    static String format(List<PluginInfo> plugins) {
        if (plugins.isEmpty()) {
            return "no plugins registered or configured\n";
        }
        TextTable table = new TextTable("KIND", "NAME", "STATUS", "BUNDLE", "REQUIRES", "PROBLEM");
        List<PluginInfo> sorted = plugins.stream()
                .sorted(Comparator.comparing((PluginInfo p) -> p.getKind().getNumber()).thenComparing(PluginInfo::getName))
                .toList();
        for (PluginInfo p : sorted) {
            table.row(words(p.getKind()), p.getName(), words(p.getStatus()), bundle(p),
                    p.getRequiresCount() == 0 ? "-" : String.join(",", p.getRequiresList()), p.getProblem());
        }
        StringBuilder text = new StringBuilder(table.toString());
        summary(text, sorted, PluginInfo.Status.MISSING, "configured but missing");
        summary(text, sorted, PluginInfo.Status.UNUSABLE, "unusable");
        return text.toString();
    }

    private static void summary(StringBuilder text, List<PluginInfo> plugins, PluginInfo.Status status, String what) {
        List<String> names = plugins.stream().filter(p -> p.getStatus() == status)
                .map(p -> words(p.getKind()) + " " + p.getName()).toList();
        if (!names.isEmpty()) {
            text.append(names.size()).append(' ').append(what).append(": ")
                    .append(names.stream().collect(Collectors.joining(", "))).append('\n');
        }
    }

    private static String bundle(PluginInfo p) {
        if (!p.hasBundle() || p.getBundle().isEmpty()) {
            return "-";
        }
        return p.hasBundleVersion() ? p.getBundle() + " " + p.getBundleVersion() : p.getBundle();
    }

    /** IMAGE_STORE → "image-store", IN_USE → "in-use". */
    private static String words(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
