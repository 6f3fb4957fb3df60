package org.unicon.cli.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import com.google.protobuf.InvalidProtocolBufferException;
import org.unicon.model.agent.Call;
import org.unicon.model.agent.Response;

/**
 * Speaks the agent's v1 API: one {@code POST /api/v1} per call, in {@code application/x-protobuf}
 * both ways. Failures become {@link CliException}s that say what to do: an agent that is not
 * running, a connection that broke, or the agent's own reason for refusing a call.
 *
 * <p>It uses {@link HttpURLConnection}: the agent listens on plain HTTP, and java.net.http's
 * client sets up TLS when it is built, which costs a short-lived CLI about 300 ms per run.
 */
final class AgentClient {

    static final String PROTOBUF = "application/x-protobuf";
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

    /** An answer of the agent: its HTTP status, and the response (2xx) or the reason (otherwise). */
    record Answer(int status, Response response, String reason) {
        boolean ok() {
            return status / 100 == 2;
        }
    }

    private final AgentAddress address;

    AgentClient(AgentAddress address) {
        this.address = address;
    }

    AgentAddress address() {
        return address;
    }

    /** Sends a call and returns a 2xx answer; anything else ends in a {@link CliException}. */
    Answer call(Call call) {
        Answer answer = send(call);
        if (!answer.ok()) {
            throw refused(answer);
        }
        return answer;
    }

    /** Sends a call and returns whatever the agent answered, 2xx or not. */
    Answer send(Call call) {
        HttpURLConnection connection = post(call, PROTOBUF, null);
        try {
            int status = connection.getResponseCode();
            return answer(status, body(connection, status));
        } catch (IOException e) {
            throw unreachable(e);
        } finally {
            connection.disconnect();
        }
    }

    /** As {@link #send}, on a thread of its own; for calls that block on the agent's side (WAIT). */
    CompletableFuture<Answer> sendAsync(Call call) {
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                answer.complete(send(call));
            } catch (RuntimeException e) {
                answer.completeExceptionally(e);
            }
        }, "unicon-cli-" + call.getType());
        thread.setDaemon(true);
        thread.start();
        return answer;
    }

    /**
     * Sends a call whose answer is a RecordIO stream of responses (PULL_IMAGE), handing each
     * record to {@code records} as it arrives.
     */
    void stream(Call call, Consumer<Response> records) {
        HttpURLConnection connection = post(call, "application/recordio", PROTOBUF);
        try {
            int status = connection.getResponseCode();
            if (status / 100 != 2) {
                throw refused(answer(status, body(connection, status)));
            }
            try (InputStream in = connection.getInputStream()) {
                RecordReader reader = new RecordReader(in);
                byte[] record;
                while ((record = reader.next()) != null) {
                    records.accept(Response.parseFrom(record));
                }
            }
        } catch (IOException e) {
            throw unreachable(e);
        } finally {
            connection.disconnect();
        }
    }

    /** The exception that tells the user the agent refused or failed a call, with its reason. */
    CliException refused(Answer answer) {
        String reason = answer.reason().isBlank()
                ? "the agent answered HTTP " + answer.status() + " without a reason"
                : answer.reason();
        return new CliException(CliException.AGENT_REFUSED, reason);
    }

    private HttpURLConnection post(Call call, String accept, String messageAccept) {
        try {
            HttpURLConnection connection = (HttpURLConnection) address.apiUri().toURL().openConnection();
            connection.setConnectTimeout(CONNECT_TIMEOUT_MILLIS);
            connection.setRequestMethod("POST");
            connection.setDoOutput(true);
            connection.setRequestProperty("Content-Type", PROTOBUF);
            connection.setRequestProperty("Accept", accept);
            if (messageAccept != null) {
                connection.setRequestProperty("Message-Accept", messageAccept);
            }
            byte[] body = call.toByteArray();
            connection.setFixedLengthStreamingMode(body.length);
            try (OutputStream out = connection.getOutputStream()) {
                out.write(body);
            }
            return connection;
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    private static byte[] body(HttpURLConnection connection, int status) throws IOException {
        InputStream in = status / 100 == 2 ? connection.getInputStream() : connection.getErrorStream();
        if (in == null) {
            return new byte[0];
        }
        try (in) {
            return in.readAllBytes();
        }
    }

    private Answer answer(int status, byte[] body) {
        if (status / 100 != 2) {
            String reason = new String(body, StandardCharsets.UTF_8).strip();
            if (reason.length() > 4000) {
                reason = reason.substring(0, 4000) + "...";
            }
            return new Answer(status, Response.getDefaultInstance(), reason);
        }
        try {
            return new Answer(status, Response.parseFrom(body), "");
        } catch (InvalidProtocolBufferException e) {
            throw new CliException(CliException.AGENT_REFUSED, "the agent at " + address
                    + " sent an answer that is not a v1 Response in protobuf (" + e.getMessage()
                    + "); is it a Unicon agent?");
        }
    }

    private CliException unreachable(Throwable e) {
        if (e instanceof ConnectException) {
            return new CliException(CliException.USAGE, "no Unicon agent at " + address
                    + " — start one with `bin/unicon agent`"
                    + " (or point --agent or " + AgentAddress.ENVIRONMENT_VARIABLE + " at a running one)");
        }
        String what = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new CliException(CliException.USAGE,
                "lost the connection to the agent at " + address + ": " + what);
    }
}
