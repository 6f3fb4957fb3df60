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
 * Says why a configured plugin that no service provides is missing, when a bundle declares it:
 * installed but unresolved, it names the bundle and the packages it imports that no resolved
 * bundle exports (typically a plugin built against another major version of the API); resolved
 * but not started, it says so; started, it says what Declarative Services says of the component
 * ({@link ComponentStates}: waiting for its configuration or a service, failed to activate...).
 * A bundle declares its plugin in its component descriptions (OSGI-INF/*.xml, readable without
 * resolving the bundle) as the service property that names it.
 */
final class UnresolvedPlugins {
    private final BundleContext context;
    private final Map<Long, Descriptions> read = new java.util.concurrent.ConcurrentHashMap<>();

    UnresolvedPlugins(BundleContext context) {
        this.context = context;
    }

    /** The plugin report with an explanation added to every missing plugin an unresolved bundle would provide. */
    List<PluginInfo> explain(List<PluginInfo> report) {
        List<PluginInfo> out = new ArrayList<>();
        for (PluginInfo info : report) {
            if (info.getStatus() != PluginInfo.Status.MISSING || info.getProblem().equals(PluginReport.RECOVERING)) {
                out.add(info);
                continue;
            }
            String key = key(info.getKind());
            Optional<String> unresolved = explain(key, info.getName());
            if (unresolved.isPresent()) {
                out.add(info.toBuilder().setStatus(PluginInfo.Status.UNUSABLE).setProblem(unresolved.get()).build());
                continue;
            }
            out.add(inactive(key, info.getName()).map(reason -> info.toBuilder().setProblem(reason).build()).orElse(info));
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

    /** Why a bundle that is resolved, or started, and declares the plugin does not provide it. */
    private Optional<String> inactive(String key, String name) {
        for (Bundle bundle : context.getBundles()) {
            int state = bundle.getState();
            if ((state & (Bundle.RESOLVED | Bundle.STARTING | Bundle.ACTIVE)) == 0 || !declares(bundle, key, name)) {
                continue;
            }
            if (state == Bundle.RESOLVED) {
                return Optional.of("bundle " + bundle.getSymbolicName() + " " + bundle.getVersion()
                        + " provides it but is not started");
            }
            Optional<String> said = ComponentStates.explain(context, bundle, key, name);
            if (said.isPresent()) {
                return said;
            }
        }
        return Optional.empty();
    }

    private boolean declares(Bundle bundle, String key, String name) {
        for (String xml : descriptions(bundle)) {
            if (xml.contains("name=\"" + key + "\"") && xml.contains("value=\"" + name + "\"")) {
                return true;
            }
        }
        return false;
    }

    /** The bundle's component descriptions, read once per bundle revision (the report is polled). */
    private List<String> descriptions(Bundle bundle) {
        Descriptions known = read.get(bundle.getBundleId());
        if (known != null && known.lastModified() == bundle.getLastModified()) {
            return known.xml();
        }
        List<String> xml = new ArrayList<>();
        Enumeration<URL> entries = bundle.findEntries("OSGI-INF", "*.xml", false);
        while (entries != null && entries.hasMoreElements()) {
            try (InputStream in = entries.nextElement().openStream()) {
                xml.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                // an unreadable entry declares nothing we can see
            }
        }
        read.put(bundle.getBundleId(), new Descriptions(bundle.getLastModified(), List.copyOf(xml)));
        return xml;
    }

    private record Descriptions(long lastModified, List<String> xml) {
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
