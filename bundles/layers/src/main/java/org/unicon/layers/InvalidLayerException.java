package org.unicon.layers;

import java.io.IOException;
import java.util.Optional;

/**
 * A layer that must not be stored: unsafe or malformed content, or a limit exceeded. The message
 * reads {@code invalid layer: entry 'NAME': REASON} (or {@code invalid layer: REASON} for a
 * problem of the whole stream). Retrying the same bytes fails the same way.
 */
public class InvalidLayerException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String entry;

    /** A problem of the whole stream (compression, framing, a limit over all entries). */
    public InvalidLayerException(String reason) {
        this(null, reason, null);
    }

    /** A problem of the whole stream, caused by {@code cause} (e.g. a corrupt gzip stream). */
    public InvalidLayerException(String reason, Throwable cause) {
        this(null, reason, cause);
    }

    /** A problem with one entry; {@code entry} is its name as found in the tar. */
    public InvalidLayerException(String entry, String reason) {
        this(entry, reason, null);
    }

    /** A problem with one entry, caused by {@code cause}. */
    public InvalidLayerException(String entry, String reason, Throwable cause) {
        super("invalid layer: " + (entry == null ? "" : "entry '" + printable(entry) + "': ") + reason, cause);
        this.entry = entry;
    }

    /** The offending entry's name as found in the tar, when the problem is with one entry. */
    public Optional<String> entry() {
        return Optional.ofNullable(entry);
    }

    private static String printable(String name) {
        String cut = name.length() > 300 ? name.substring(0, 300) + "…" : name;
        StringBuilder sb = new StringBuilder();
        cut.codePoints().forEach(c -> {
            if (c == 0) {
                sb.append("\\0");
            } else if (Character.isISOControl(c)) {
                sb.append('?');
            } else {
                sb.appendCodePoint(c);
            }
        });
        return sb.toString();
    }
}
