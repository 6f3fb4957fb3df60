package org.unicon.agent.http.internal;

import static java.lang.System.Logger.Level.DEBUG;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The agent API on the JDK's HTTP server: {@code POST /api/v1}, answered by an {@link AgentApi}.
 *
 * <p>A WAIT_CONTAINER holds no thread: its exchange is kept open and answered when the
 * termination arrives. Closing the server answers every such waiter with 503, so that clients
 * know to wait again rather than hang. Requests are handled on a pool of daemon threads.
 */
final class AgentHttpServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(AgentHttpServer.class.getName());

    static final String PATH = "/api/v1";

    /** Request threads are named {@code unicon-agent-http-<port>-<n>}. */
    static final String THREAD_PREFIX = "unicon-agent-http-";

    /** How long a request thread waits for another request before it ends. */
    private static final long IDLE_THREAD_SECONDS = 5;

    private final HttpServer server;
    private final ExecutorService threads;
    private final Executor answering;
    private final AgentApi api;
    private final Set<HttpExchange> unanswered = ConcurrentHashMap.newKeySet();
    private volatile int maxBodyBytes;
    private volatile boolean closing;

    private AgentHttpServer(HttpServer server, AgentApi api, int maxBodyBytes) {
        this.server = server;
        this.api = api;
        this.maxBodyBytes = maxBodyBytes;
        AtomicInteger count = new AtomicInteger();
        // A thread per request under way (a LAUNCH holds its thread until the container runs);
        // idle ones end after IDLE_THREAD_SECONDS instead of a cached pool's minute, so that a
        // burst of 100 calls does not keep 100 stacks.
        this.threads = new ThreadPoolExecutor(0, Integer.MAX_VALUE, IDLE_THREAD_SECONDS, TimeUnit.SECONDS,
                new SynchronousQueue<>(), task -> {
            Thread thread = new Thread(task, THREAD_PREFIX + server.getAddress().getPort() + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        // A termination arriving after close must not throw into the containerizer's thread.
        this.answering = task -> {
            try {
                threads.execute(task);
            } catch (RejectedExecutionException e) {
                LOG.log(DEBUG, "answer dropped: the agent API is closed");
            }
        };
    }

    /** Binds {@code address} and starts serving. */
    static AgentHttpServer start(InetSocketAddress address, AgentApi api, int maxBodyBytes) throws IOException {
        HttpServer http = HttpServer.create(address, 0);
        AgentHttpServer server = new AgentHttpServer(http, api, maxBodyBytes);
        http.createContext("/", server::serve);
        http.setExecutor(server.threads);
        http.start();
        return server;
    }

    /** The address actually bound (its port is the chosen one when 0 was configured). */
    InetSocketAddress address() {
        return server.getAddress();
    }

    void maxBodyBytes(int limit) {
        this.maxBodyBytes = limit;
    }

    @Override
    public void close() {
        closing = true;
        for (HttpExchange exchange : unanswered) {
            if (unanswered.remove(exchange)) {
                respond(exchange, stopping());
            }
        }
        server.stop(0);
        threads.shutdownNow();
    }

    private void serve(HttpExchange exchange) {
        try {
            String path = exchange.getRequestURI().getPath();
            if (!PATH.equals(path) && !(PATH + "/").equals(path)) {
                respond(exchange, ApiResponse.text(404, "no such endpoint '" + path + "': the agent API is POST " + PATH));
                return;
            }
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "POST");
                respond(exchange, ApiResponse.text(405, "method " + exchange.getRequestMethod()
                        + " is not allowed: the agent API is POST " + PATH));
                return;
            }
            byte[] body = readBody(exchange);
            // Registered before the call, so that close() answers it whenever the call is pending.
            unanswered.add(exchange);
            if (closing && unanswered.remove(exchange)) {
                respond(exchange, stopping());
                return;
            }
            CompletionStage<ApiResponse> answer = api.handle(body,
                    exchange.getRequestHeaders().getFirst("Content-Type"),
                    exchange.getRequestHeaders().getFirst("Accept"),
                    exchange.getRequestHeaders().getFirst("Message-Accept"));
            CompletableFuture<ApiResponse> future = answer.toCompletableFuture();
            if (future.isDone()) {
                if (unanswered.remove(exchange)) {
                    respond(exchange, future.join());
                }
                return;
            }
            answer.whenCompleteAsync((response, error) -> {
                if (unanswered.remove(exchange)) {
                    respond(exchange, response != null ? response
                            : ApiResponse.text(500, "internal error while waiting: " + error));
                }
            }, answering);
        } catch (ApiError e) {
            respond(exchange, e.toResponse());
        } catch (IOException e) {
            LOG.log(DEBUG, "request dropped: {0}", e.toString());
            exchange.close();
        } catch (RuntimeException e) {
            unanswered.remove(exchange);
            respond(exchange, ApiResponse.text(500, "internal error: " + e));
        }
    }

    /** Reads the body, refusing (413) one larger than the limit after reading at most limit + 1 bytes. */
    private byte[] readBody(HttpExchange exchange) throws IOException, ApiError {
        int limit = maxBodyBytes;
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        if (declared != null && parseLength(declared) > limit) {
            throw tooLarge(limit);
        }
        try (InputStream in = exchange.getRequestBody()) {
            return readAtMost(in, limit);
        }
    }

    static byte[] readAtMost(InputStream in, int limit) throws IOException, ApiError {
        byte[] body = in.readNBytes(limit + 1);
        if (body.length > limit) {
            throw tooLarge(limit);
        }
        return body;
    }

    private static long parseLength(String value) {
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            return -1;  // the JDK server refuses such a request before it gets here
        }
    }

    private static ApiError tooLarge(int limit) {
        return new ApiError(413, "the request body is larger than max_body_bytes=" + limit
                + " (set in " + AgentHttpComponent.Config.PID + ")");
    }

    private static ApiResponse stopping() {
        return ApiResponse.text(503, "the agent API is stopping or rebinding: send the call again");
    }

    private static void respond(HttpExchange exchange, ApiResponse response) {
        try {
            if (response.contentType() != null) {
                exchange.getResponseHeaders().set("Content-Type", response.contentType());
            }
            if (response.streamer() != null) {
                exchange.sendResponseHeaders(response.status(), 0);  // chunked
                try (OutputStream out = exchange.getResponseBody()) {
                    response.streamer().stream(out);
                }
                return;
            }
            byte[] body = response.body();
            exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        } catch (IOException e) {
            LOG.log(DEBUG, "answer not delivered, the client went away: {0}", e.toString());
        } finally {
            exchange.close();
        }
    }
}
