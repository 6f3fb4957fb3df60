package org.unicon.store.docker.internal;

/** Bytes that do not match their digest or size: never retried, never stored. */
final class BlobVerificationException extends PullException {
    private static final long serialVersionUID = 1L;

    BlobVerificationException(String message) {
        super(message);
    }
}
