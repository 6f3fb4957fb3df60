package org.unicon.backend.overlay.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The running kernel's major and minor version, from {@code /proc/sys/kernel/osrelease}. */
record KernelRelease(int major, int minor) {

    private static final Pattern VERSION = Pattern.compile("^(\\d+)\\.(\\d+)");

    static KernelRelease current() {
        try {
            return parse(Files.readString(Path.of("/proc/sys/kernel/osrelease")));
        } catch (IOException | IllegalArgumentException e) {
            return new KernelRelease(0, 0);
        }
    }

    /** Parses releases like {@code 6.18.44-fc-v595}. */
    static KernelRelease parse(String release) {
        Matcher m = VERSION.matcher(release.strip());
        if (!m.find()) {
            throw new IllegalArgumentException("not a kernel release: " + release);
        }
        return new KernelRelease(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    boolean atLeast(int wantMajor, int wantMinor) {
        return major > wantMajor || (major == wantMajor && minor >= wantMinor);
    }
}
