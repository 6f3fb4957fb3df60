package org.unicon.agent.http.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Mesos's RecordIO framing for streamed answers: each record is its length in bytes as decimal
 * text, a newline, then the record ({@code Accept: application/recordio}, records encoded as
 * {@code Message-Accept} says).
 */
final class RecordIo {
    static final String MEDIA_TYPE = "application/recordio";

    private RecordIo() {}

    static boolean requested(String accept) {
        return accept != null && accept.strip().toLowerCase(java.util.Locale.ROOT).startsWith(MEDIA_TYPE);
    }

    static void write(OutputStream out, byte[] record) throws IOException {
        out.write((record.length + "\n").getBytes(StandardCharsets.US_ASCII));
        out.write(record);
        out.flush();
    }
}
