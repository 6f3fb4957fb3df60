package org.unicon.cli.internal;

import java.util.Locale;

/** Byte counts as people read them: 512 B, 2.0 KiB, 181.3 MiB. */
final class Bytes {
    private Bytes() {}

    static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
