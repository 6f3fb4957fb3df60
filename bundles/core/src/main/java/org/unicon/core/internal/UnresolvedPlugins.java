package org.unicon.core.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.resource.Namespace;
import org.unicon.isolator.Isolator;
import org.unicon.launcher.Launcher;
import org.unicon.model.PluginInfo;
import org.unicon.provisioner.ProvisionerBackend;
import org.unicon.store.ImageStore;

/**
 * Says why a configured plugin that no service provides is missing, when a bundle that would
 * provide it is installed but cannot resolve: it names the bundle and the packages it imports
 * that no resolved bundle exports (typically a plugin built against another major version of
 * the API). A bundle declares its plugin in its component descriptions (OSGI-INF/*.xml, readable
 * without resolving the bundle) as the service property that names it.
 */
final class UnresolvedPlugins {
    private final BundleContext context;

    UnresolvedPlugins(BundleContext context) {
        this.context = context;
    }

    /** The plugin report with an explanation added to every missing plugin an unresolved bundle would provide. */
    List<PluginInfo> explain(List<PluginInfo> report) {
        List<PluginInfo> out = new ArrayList<>();
        for (PluginInfo info : report) {
            if (info.getStatus() != PluginInfo.Status.MISSING) {
                out.add(info);
                continue;
            }
            out.add(explain(key(info.getKind()), info.getName())
                    .map(reason -> info.toBuilder().setStatus(PluginInfo.Status.UNUSABLE).setProblem(reason).build())
                    .orElse(info));
        }
        return out;
    }

    private Optional<String> explain(String key, String name) {
        for (Bundle bundle : context.getBundles()) {
            if (bundle.getState() != Bundle.INSTALLED || !declares(bundle, key, name)) {
                continue;
            }
            List<String> unmet = unmetImports(bundle);
            return Optional.of("bundle " + bundle.getSymbolicName() + " " + bundle.getVersion() + " provides it but is"
                    + " not resolved" + (unmet.isEmpty() ? "" : ": nothing exports " + String.join(", ", unmet)));
        }
        return Optional.empty();
    }

    private static boolean declares(Bundle bundle, String key, String name) {
        Enumeration<URL> descriptions = bundle.findEntries("OSGI-INF", "*.xml", false);
        while (descriptions != null && descriptions.hasMoreElements()) {
            try (InputStream in = descriptions.nextElement().openStream()) {
                String xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                if (xml.contains("name=\"" + key + "\"") && xml.contains("value=\"" + name + "\"")) {
                    return true;
                }
            } catch (IOException e) {
                // an unreadable entry declares nothing we can see
            }
        }
        return false;
    }

    /** The bundle's mandatory package imports that no resolved bundle's exports satisfy. */
    private List<String> unmetImports(Bundle bundle) {
        List<String> unmet = new ArrayList<>();
        BundleRevision revision = bundle.adapt(BundleRevision.class);
        if (revision == null) {
            return unmet;
        }
        for (BundleRequirement requirement : revision.getDeclaredRequirements(PackageNamespace.PACKAGE_NAMESPACE)) {
            if (Namespace.RESOLUTION_OPTIONAL.equals(requirement.getDirectives().get(Namespace.REQUIREMENT_RESOLUTION_DIRECTIVE))) {
                continue;
            }
            String filter = requirement.getDirectives().get(Namespace.REQUIREMENT_FILTER_DIRECTIVE);
            if (filter != null && !exported(filter)) {
                unmet.add(readable(filter));
            }
        }
        return unmet;
    }

    /** {@code (&(osgi.wiring.package=p)(version>=2.0.0)(!(version>=3.0.0)))} as {@code p [2.0.0,3.0.0)}. */
    static String readable(String filter) {
        java.util.regex.Matcher pkg = java.util.regex.Pattern.compile("osgi\\.wiring\\.package=([^)]+)").matcher(filter);
        if (!pkg.find()) {
            return filter;
        }
        java.util.regex.Matcher low = java.util.regex.Pattern.compile("\\(version>=([^)]+)\\)").matcher(filter);
        java.util.regex.Matcher high = java.util.regex.Pattern.compile("\\(!\\(version>=([^)]+)\\)\\)").matcher(filter);
        String from = low.find() ? low.group(1) : "0.0.0";
        return pkg.group(1) + (high.find() ? " [" + from + "," + high.group(1) + ")" : " " + from);
    }

    private boolean exported(String filterText) {
        Filter filter;
        try {
            filter = FrameworkUtil.createFilter(filterText);
        } catch (InvalidSyntaxException e) {
            return true; // the framework will say what is wrong with it
        }
        for (Bundle other : context.getBundles()) {
            BundleRevision revision = other.adapt(BundleRevision.class);
            if (revision == null || (other.getState() & (Bundle.RESOLVED | Bundle.STARTING | Bundle.ACTIVE)) == 0) {
                continue;
            }
            for (BundleCapability capability : revision.getDeclaredCapabilities(PackageNamespace.PACKAGE_NAMESPACE)) {
                if (filter.matches((Map<String, Object>) capability.getAttributes())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String key(PluginInfo.Kind kind) {
        return switch (kind) {
            case ISOLATOR -> Isolator.NAME;
            case LAUNCHER -> Launcher.NAME;
            case IMAGE_STORE -> ImageStore.TYPE;
            case PROVISIONER_BACKEND -> ProvisionerBackend.NAME;
            default -> "";
        };
    }
}
