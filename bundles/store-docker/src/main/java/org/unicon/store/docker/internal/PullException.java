package org.unicon.store.docker.internal;

import java.io.IOException;

/**
 * A pull that failed for a reason the user can act on; the message names the image and the
 * cause ("registry 127.0.0.1:5000 refused credentials for 'probe/busybox' (401)").
 */
public class PullException extends IOException {
    private static final long serialVersionUID = 1L;

    public PullException(String message) {
        super(message);
    }

    public PullException(String message, Throwable cause) {
        super(message, cause);
    }
}
