package org.unicon.cli.internal;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import com.google.protobuf.InvalidProtocolBufferException;
import org.unicon.model.agent.Call;
import org.unicon.model.agent.Response;

/**
 * Speaks the agent's v1 API: one {@code POST /api/v1} per call, in {@code application/x-protobuf}
 * both ways. Failures become {@link CliException}s that say what to do: an agent that is not
 * running, a connection that broke, or the agent's own reason for refusing a call.
 */
final class AgentClient {

    static final String PROTOBUF = "application/x-protobuf";

    /** An answer of the agent: its HTTP status, and the response (2xx) or the reason (otherwise). */
    record Answer(int status, Response response, String reason) {
        boolean ok() {
            return status / 100 == 2;
        }
    }

    private final AgentAddress address;
    private final HttpClient http;

    AgentClient(AgentAddress address) {
        this.address = address;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
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
        try {
            return answer(http.send(request(call), HttpResponse.BodyHandlers.ofByteArray()));
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(CliException.USAGE, "interrupted while waiting for the agent");
        }
    }

    /** As {@link #send}, without blocking; for calls that block on the agent's side (WAIT). */
    CompletableFuture<Answer> sendAsync(Call call) {
        return http.sendAsync(request(call), HttpResponse.BodyHandlers.ofByteArray())
                .handle((response, failure) -> {
                    if (failure == null) {
                        return answer(response);
                    }
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause() : failure;
                    throw cause instanceof CliException cli ? cli : unreachable(cause);
                });
    }

    /**
     * Sends a call whose answer is a RecordIO stream of responses (PULL_IMAGE), handing each
     * record to {@code records} as it arrives.
     */
    void stream(Call call, java.util.function.Consumer<Response> records) {
        HttpRequest request = HttpRequest.newBuilder(address.apiUri())
                .header("Content-Type", PROTOBUF)
                .header("Accept", "application/recordio")
                .header("Message-Accept", PROTOBUF)
                .POST(HttpRequest.BodyPublishers.ofByteArray(call.toByteArray()))
                .build();
        try {
            HttpResponse<java.io.InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (java.io.InputStream in = response.body()) {
                if (response.statusCode() / 100 != 2) {
                    throw refused(new Answer(response.statusCode(), Response.getDefaultInstance(),
                            new String(in.readAllBytes(), StandardCharsets.UTF_8).strip()));
                }
                RecordReader reader = new RecordReader(in);
                byte[] record;
                while ((record = reader.next()) != null) {
                    records.accept(Response.parseFrom(record));
                }
            }
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(CliException.USAGE, "interrupted while waiting for the agent");
        }
    }

    /** The exception that tells the user the agent refused or failed a call, with its reason. */
    CliException refused(Answer answer) {
        String reason = answer.reason().isBlank()
                ? "the agent answered HTTP " + answer.status() + " without a reason"
                : answer.reason();
        return new CliException(CliException.AGENT_REFUSED, reason);
    }

    private HttpRequest request(Call call) {
        return HttpRequest.newBuilder(address.apiUri())
                .header("Content-Type", PROTOBUF)
                .header("Accept", PROTOBUF)
                .POST(HttpRequest.BodyPublishers.ofByteArray(call.toByteArray()))
                .build();
    }

    private Answer answer(HttpResponse<byte[]> response) {
        int status = response.statusCode();
        byte[] body = response.body();
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
