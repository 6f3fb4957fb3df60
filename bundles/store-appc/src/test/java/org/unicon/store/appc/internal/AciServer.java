package org.unicon.store.appc.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP server on 127.0.0.1 (the JDK's) serving a directory of ACIs as simple discovery
 * expects them. It counts the requests per path, and can hold answers until {@link #release}
 * so that tests can have fetches overlap.
 */
final class AciServer implements AutoCloseable {
    private final Path root;
    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    private final CountDownLatch firstRequest = new CountDownLatch(1);
    private volatile CountDownLatch gate = new CountDownLatch(0);
    private boolean closed;

    AciServer(Path root) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(pool);
        server.start();
    }

    /** The discovery prefix for this server: {@code http://127.0.0.1:PORT/}. */
    String prefix() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    /** From now on, answers wait until {@link #release}. */
    void hold() {
        gate = new CountDownLatch(1);
    }

    void release() {
        gate.countDown();
    }

    /** Waits until a first request has arrived. */
    boolean awaitFirstRequest() throws InterruptedException {
        return firstRequest.await(60, TimeUnit.SECONDS);
    }

    /** GET requests for {@code path} (e.g. {@code /example.com/app-1-linux-amd64.aci}) so far. */
    int requests(String path) {
        AtomicInteger n = requests.get(path);
        return n == null ? 0 : n.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            requests.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            firstRequest.countDown();
            try {
                gate.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            Path file = root.resolve(path.substring(1)).normalize();
            if (!file.startsWith(root) || !Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            exchange.sendResponseHeaders(200, Files.size(file));
            try (InputStream in = Files.newInputStream(file); OutputStream out = exchange.getResponseBody()) {
                in.transferTo(out);
            }
        }
    }

    @Override
    public synchronized void close() {
        release();
        if (!closed) {
            closed = true;
            server.stop(0);
            pool.shutdownNow();
        }
    }
}
