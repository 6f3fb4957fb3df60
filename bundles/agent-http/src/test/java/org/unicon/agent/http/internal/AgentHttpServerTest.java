package org.unicon.agent.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicon.model.ContainerTermination;
import org.unicon.model.TaskState;
import org.unicon.model.agent.Call;
import org.unicon.model.agent.Response;

/**
 * The real JDK HTTP server on a free loopback port, driven by java.net.http like any client; the
 * containerizer behind it is the stand-in described in {@link TestContainerizer}.
 */
class AgentHttpServerTest {

    static final int MAX_BODY = 4096;
    static final String HEALTH = "{\"type\":\"GET_HEALTH\"}";

    @TempDir
    Path sandboxes;

    TestContainerizer containerizer;
    ApiEndpoint endpoint;
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void start() throws IOException {
        containerizer = new TestContainerizer(sandboxes);
        endpoint = new ApiEndpoint(new AgentApi(containerizer, "1.0.0"),
                EndpointSettings.parse("127.0.0.1:0", MAX_BODY));
    }

    @AfterEach
    void stop() {
        endpoint.close();
    }

    @Test
    void servesJsonAndProtobufOnLoopback() throws Exception {
        assertTrue(endpoint.address().getAddress().isLoopbackAddress());

        HttpResponse<String> json = post(HEALTH, "application/json", null);
        HttpResponse<byte[]> proto = client.send(request(endpoint.address())
                .header("Content-Type", "application/x-protobuf").header("Accept", "application/x-protobuf")
                .POST(BodyPublishers.ofByteArray(Call.newBuilder().setType(Call.Type.GET_VERSION).build().toByteArray()))
                .build(), BodyHandlers.ofByteArray());

        assertEquals(200, json.statusCode());
        assertEquals("application/json", json.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("{\"type\":\"GET_HEALTH\",\"get_health\":{\"healthy\":true}}", json.body());
        assertEquals(200, proto.statusCode());
        assertEquals("1.0.0", Response.parseFrom(proto.body()).getGetVersion().getVersionInfo().getVersion());
    }

    @Test
    void keepsServingAfterEveryKindOfBadRequest() throws Exception {
        HttpResponse<String> get = client.send(request(endpoint.address()).GET().build(), BodyHandlers.ofString());
        assertEquals(405, get.statusCode());
        assertEquals("POST", get.headers().firstValue("Allow").orElseThrow());
        assertEquals("method GET is not allowed: the agent API is POST /api/v1\n", get.body());

        HttpResponse<String> elsewhere = client.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + endpoint.address().getPort() + "/api/v2"))
                .POST(BodyPublishers.ofString(HEALTH)).build(), BodyHandlers.ofString());
        assertEquals(404, elsewhere.statusCode());

        assertEquals(415, post(HEALTH, "text/plain", null).statusCode());
        assertEquals(406, post(HEALTH, "application/json", "text/html").statusCode());
        HttpResponse<String> malformed = post("{\"type\":", "application/json", null);
        assertEquals(400, malformed.statusCode());
        assertEquals("text/plain; charset=utf-8", malformed.headers().firstValue("Content-Type").orElseThrow());
        assertTrue(malformed.body().startsWith("malformed JSON Call: "), malformed.body());
        assertEquals(400, post("{\"type\":\"GET_STATE\"}", "application/json", null).statusCode());
        assertEquals(400, post("{\"type\":\"LAUNCH_CONTAINER\",\"launch_container\":{}}", "application/json", null)
                .statusCode());

        assertEquals(200, post(HEALTH, "application/json", null).statusCode());
        assertTrue(containerizer.launches.isEmpty());
    }

    @Test
    void oversizedBodiesAre413WhetherTheirLengthIsDeclaredOrNot() throws Exception {
        String big = "{\"type\":\"GET_HEALTH\",\"x\":\"" + "x".repeat(MAX_BODY) + "\"}";

        HttpResponse<String> declared = post(big, "application/json", null);
        HttpResponse<String> chunked = client.send(request(endpoint.address())
                .header("Content-Type", "application/json")
                .POST(unknownLength(big.getBytes(StandardCharsets.UTF_8))).build(), BodyHandlers.ofString());

        assertEquals(413, declared.statusCode());
        assertEquals("the request body is larger than max_body_bytes=4096 (set in unicon.agent.http)\n", declared.body());
        assertEquals(413, chunked.statusCode());
        assertEquals(200, post(HEALTH, "application/json", null).statusCode());
        assertEquals(200, client.send(request(endpoint.address()).header("Content-Type", "application/json")
                .POST(unknownLength(HEALTH.getBytes(StandardCharsets.UTF_8))).build(), BodyHandlers.ofString())
                .statusCode(), "a small chunked body is read");
    }

    @Test
    void readingTheBodyStopsJustPastTheLimit() throws Exception {
        int[] read = {0};
        var endless = new java.io.InputStream() {
            @Override
            public int read() {
                read[0]++;
                return 'x';
            }
        };

        ApiError error = assertThrows(ApiError.class, () -> AgentHttpServer.readAtMost(endless, 100));

        assertEquals(413, error.status());
        assertEquals(101, read[0]);
    }

    @Test
    void waitIsAnsweredWhenTheTerminationArrivesWithoutHoldingAThread() throws Exception {
        int waiters = 20;
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < waiters; i++) {
            containerizer.running("c" + i);
            answers.add(client.sendAsync(json(AgentApiTest.waitJson("c" + i)), BodyHandlers.ofString()));
            assertEquals("c" + i, containerizer.waits.take());   // the WAIT has reached the containerizer
        }
        // Twenty WAITs are pending; a server thread held per waiter would show as twenty threads.
        long threads = serverThreads();
        assertTrue(threads < waiters, threads + " server threads for " + waiters + " pending WAITs");
        assertEquals(200, post(HEALTH, "application/json", null).statusCode());
        assertTrue(answers.stream().noneMatch(CompletableFuture::isDone), "a WAIT was answered before termination");

        for (int i = 0; i < waiters; i++) {
            containerizer.terminate("c" + i, ContainerTermination.newBuilder()
                    .setStatus(i << 8).setState(TaskState.TASK_FINISHED).build());
        }

        for (int i = 0; i < waiters; i++) {
            HttpResponse<String> answer = answers.get(i).join();
            assertEquals(200, answer.statusCode(), answer.body());
            assertEquals(i << 8, AgentApiTest.parseJson(new ApiResponse(200, "application/json",
                    answer.body().getBytes(StandardCharsets.UTF_8))).getWaitContainer().getExitStatus());
        }
    }

    @Test
    void requestThreadsOfABurstEndSoonAfterIt() throws Exception {
        int launches = 10;
        containerizer.launchGate = new CountDownLatch(1);
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < launches; i++) {
            answers.add(client.sendAsync(json(AgentApiTest.launchJson("burst-" + i)), BodyHandlers.ofString()));
        }
        awaitServerThreads(n -> n >= launches, "a server thread for each of the " + launches + " launches under way");

        containerizer.launchGate.countDown();
        for (CompletableFuture<HttpResponse<String>> answer : answers) {
            assertEquals(200, answer.join().statusCode());
        }

        // Idle request threads end after a few seconds; a cached pool would keep them a minute.
        awaitServerThreads(n -> n == 0, "no server thread left 30 s after the burst");
        assertEquals(200, post(HEALTH, "application/json", null).statusCode(), "the server answers after its threads ended");
    }

    private void awaitServerThreads(LongPredicate wanted, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long threads;
        while (!wanted.test(threads = serverThreads())) {
            assertTrue(System.nanoTime() < deadline, what + ": " + threads + " server threads");
            Thread.sleep(100);
        }
    }

    private long serverThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(AgentHttpServer.THREAD_PREFIX + endpoint.address().getPort() + "-"))
                .count();
    }

    @Test
    void closingAnswersPendingWaitsWith503() throws Exception {
        containerizer.running("c1");
        CompletableFuture<HttpResponse<String>> answer =
                client.sendAsync(json(AgentApiTest.waitJson("c1")), BodyHandlers.ofString());
        containerizer.waits.take();

        endpoint.close();

        assertEquals(503, answer.join().statusCode());
        assertEquals("the agent API is stopping or rebinding: send the call again\n", answer.join().body());
        containerizer.terminate("c1", ContainerTermination.newBuilder().setStatus(0).build());
    }

    @Test
    void readFileOverHttp() throws Exception {
        Files.writeString(containerizer.running("c1").resolve("stdout"), "hi\n");

        HttpResponse<String> response = post(
                "{\"type\":\"READ_FILE\",\"read_file\":{\"path\":\"/containers/c1/stdout\",\"offset\":0}}",
                "application/json", null);

        assertEquals(200, response.statusCode(), response.body());
        assertEquals("hi\n", AgentApiTest.parseJson(new ApiResponse(200, "application/json",
                response.body().getBytes(StandardCharsets.UTF_8))).getReadFile().getData().toStringUtf8());
    }

    @Test
    void aChangedAddressRebindsAndTheOldOneIsReleased() throws Exception {
        InetSocketAddress before = endpoint.address();

        int free;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            free = probe.getLocalPort();
        }

        endpoint.apply(EndpointSettings.parse("127.0.0.1:" + free, MAX_BODY));

        InetSocketAddress after = endpoint.address();
        assertNotEquals(before.getPort(), after.getPort());
        assertEquals(free, after.getPort());
        assertEquals(200, post(HEALTH, "application/json", null).statusCode());
        Exception refused = assertThrows(Exception.class, () -> client.send(request(before)
                .header("Content-Type", "application/json").POST(BodyPublishers.ofString(HEALTH)).build(),
                BodyHandlers.ofString()));
        assertTrue(refused instanceof ConnectException || refused.getCause() instanceof ConnectException, refused.toString());
    }

    @Test
    void anAddressInUseIsRejectedAndTheOldOneKeepsServing() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String address = "127.0.0.1:" + taken.getLocalPort();

            IOException e = assertThrows(IOException.class,
                    () -> endpoint.apply(EndpointSettings.parse(address, MAX_BODY)));

            assertTrue(e.getMessage().startsWith("cannot listen on address='" + address + "': "), e.getMessage());
            assertTrue(e.getMessage().endsWith("; still listening on 127.0.0.1:" + endpoint.address().getPort()),
                    e.getMessage());
        }
        assertEquals(200, post(HEALTH, "application/json", null).statusCode());
    }

    @Test
    void aNewBodyLimitAppliesWithoutRebinding() throws Exception {
        int port = endpoint.address().getPort();

        endpoint.apply(EndpointSettings.parse("127.0.0.1:0", 8));

        assertEquals(port, endpoint.address().getPort());
        assertEquals(413, post(HEALTH, "application/json", null).statusCode());
    }

    // --- helpers ---------------------------------------------------------------------------

    HttpResponse<String> post(String body, String contentType, String accept) throws Exception {
        HttpRequest.Builder request = request(endpoint.address()).header("Content-Type", contentType)
                .POST(BodyPublishers.ofString(body));
        if (accept != null) {
            request.header("Accept", accept);
        }
        return client.send(request.build(), BodyHandlers.ofString());
    }

    HttpRequest json(String body) {
        return request(endpoint.address()).header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString(body)).build();
    }

    static HttpRequest.Builder request(InetSocketAddress address) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + address.getPort() + AgentHttpServer.PATH));
    }

    /** A body sent chunked, without Content-Length. */
    static BodyPublisher unknownLength(byte[] body) {
        return BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body));
    }
}
