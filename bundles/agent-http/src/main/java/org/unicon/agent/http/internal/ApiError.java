package org.unicon.agent.http.internal;

/**
 * A request the API refuses, with the HTTP status to answer and a one-line reason for the user.
 * Thrown before anything is changed, so a refused request has no effect.
 */
final class ApiError extends Exception {
    private static final long serialVersionUID = 1L;

    private final int status;

    ApiError(int status, String reason) {
        super(reason);
        this.status = status;
    }

    int status() {
        return status;
    }

    ApiResponse toResponse() {
        return ApiResponse.text(status, getMessage());
    }
}
