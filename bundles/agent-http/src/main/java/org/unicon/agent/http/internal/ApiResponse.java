package org.unicon.agent.http.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * What the API answers: an HTTP status, the body's content type and the body (empty for a bare
 * status such as LAUNCH_CONTAINER's 200), or a stream of records written as they happen.
 * Errors are one line of plain text naming what was wrong.
 */
record ApiResponse(int status, String contentType, byte[] body, Streamer streamer) {

    static final String TEXT = "text/plain; charset=utf-8";

    /** Writes a streamed body; runs on a server thread until it returns. */
    interface Streamer {
        void stream(OutputStream out) throws IOException;
    }

    ApiResponse(int status, String contentType, byte[] body) {
        this(status, contentType, body, null);
    }

    static ApiResponse empty(int status) {
        return new ApiResponse(status, null, new byte[0]);
    }

    static ApiResponse streamed(String contentType, Streamer streamer) {
        return new ApiResponse(200, contentType, new byte[0], streamer);
    }

    /** A plain-text answer; line breaks in the reason are folded so that it stays one line. */
    static ApiResponse text(int status, String reason) {
        String line = (reason == null ? "" : reason).replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
        return new ApiResponse(status, TEXT, (line + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** The body as text (for errors and tests). */
    String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
