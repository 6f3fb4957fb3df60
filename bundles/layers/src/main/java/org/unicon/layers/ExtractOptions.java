package org.unicon.layers;

import java.util.Objects;

import org.unicon.layers.internal.Posix;

/**
 * How {@link LayerExtractor} extracts. Immutable and thread-safe; the {@code with…} methods return
 * changed copies.
 */
public final class ExtractOptions {

    private final Limits limits;
    private final String stripPrefix;
    private final boolean devices;

    private ExtractOptions(Limits limits, String stripPrefix, boolean devices) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.stripPrefix = normalizePrefix(stripPrefix);
        this.devices = devices;
    }

    /**
     * {@link Limits#defaults()}, no prefix, and device nodes allowed exactly when this process is
     * root in the initial user namespace (mknod of real devices fails anywhere else).
     */
    public static ExtractOptions defaults() {
        return new ExtractOptions(Limits.defaults(), "", Posix.mayCreateDevices());
    }

    private static String normalizePrefix(String prefix) {
        Objects.requireNonNull(prefix, "stripPrefix");
        String p = prefix;
        while (p.startsWith("./")) {
            p = p.substring(2);
        }
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        if (p.isEmpty()) {
            return "";
        }
        for (String component : p.split("/")) {
            if (component.equals("..") || component.equals(".")) {
                throw new IllegalArgumentException("strip prefix '" + prefix + "' must not contain '.' or '..'");
            }
        }
        return p.endsWith("/") ? p : p + "/";
    }

    /** The limits one layer must stay within. */
    public Limits limits() {
        return limits;
    }

    /**
     * The directory prefix (e.g. {@code rootfs/} for an ACI) whose content is extracted into the
     * target; entries outside it are skipped. Empty when the whole tar is the layer. Always ends
     * with {@code /} when not empty.
     */
    public String stripPrefix() {
        return stripPrefix;
    }

    /**
     * Whether character and block devices other than whiteouts (0/0) are created; when false
     * they are skipped (whiteouts are always created).
     */
    public boolean devices() {
        return devices;
    }

    /** A copy with other limits. */
    public ExtractOptions withLimits(Limits value) {
        return new ExtractOptions(value, stripPrefix, devices);
    }

    /**
     * A copy that extracts only entries under {@code prefix}, with the prefix removed from their
     * names; hard links must stay under it too. Empty means the whole tar.
     *
     * @throws IllegalArgumentException if the prefix contains {@code .} or {@code ..} components
     */
    public ExtractOptions withStripPrefix(String prefix) {
        return new ExtractOptions(limits, prefix, devices);
    }

    /** A copy that does (or does not) create character and block devices other than whiteouts. */
    public ExtractOptions withDevices(boolean value) {
        return new ExtractOptions(limits, stripPrefix, value);
    }

    @Override
    public String toString() {
        return "ExtractOptions[" + limits + ", stripPrefix='" + stripPrefix + "', devices=" + devices + "]";
    }
}
