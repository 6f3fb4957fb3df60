package org.unicon.agent.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicon.model.Image;
import org.unicon.model.agent.Call;
import org.unicon.model.agent.Response;

/** PULL_IMAGE (single answer and RecordIO stream), GET_IMAGES and PRUNE_IMAGES. */
class ImageCallsTest {
    @TempDir
    Path sandboxes;

    TestContainerizer containerizer;
    AgentApi api;

    @BeforeEach
    void setUp() {
        containerizer = new TestContainerizer(sandboxes);
        api = new AgentApi(containerizer, "1.2.3");
    }

    private static byte[] pull(String name) {
        return Call.newBuilder().setType(Call.Type.PULL_IMAGE).setPullImage(Call.PullImage.newBuilder()
                .setImage(Image.newBuilder().setType(Image.Type.DOCKER).setDocker(Image.Docker.newBuilder().setName(name))))
                .build().toByteArray();
    }

    private ApiResponse call(byte[] body, String accept, String messageAccept) throws Exception {
        return api.handle(body, "application/x-protobuf", accept, messageAccept).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void pullAnswersOnceWithTheImage() throws Exception {
        ApiResponse response = call(pull("busybox"), "application/json", null);
        assertEquals(200, response.status());
        assertTrue(response.bodyText().contains("\"image\":{\"type\":\"DOCKER\",\"name\":\"busybox\""), response.bodyText());
    }

    @Test
    void pullStreamsRecordIoProgressThenTheImage() throws Exception {
        ApiResponse response = call(pull("busybox"), "application/recordio", "application/x-protobuf");
        assertEquals(200, response.status());
        assertEquals("application/recordio", response.contentType());
        List<Response> records = records(response);
        assertEquals(4, records.size(), records.toString());
        assertEquals("sha256:aa", records.get(0).getPullImage().getLayer());
        assertEquals(10, records.get(0).getPullImage().getLayerSize());
        assertEquals(10, records.get(1).getPullImage().getLayerFetched());
        assertTrue(records.get(2).getPullImage().getLayerDone());
        assertEquals("busybox", records.get(3).getPullImage().getImage().getName());
    }

    @Test
    void aFailedStreamedPullEndsWithTheError() throws Exception {
        List<Response> records = records(call(pull("fail-missing"), "application/recordio", "application/x-protobuf"));
        assertEquals(1, records.size());
        assertEquals("image 'fail-missing' not found", records.get(0).getPullImage().getError());
    }

    @Test
    void aFailedPullAnswersWithTheReason() throws Exception {
        ApiResponse response = call(pull("fail-missing"), "application/json", null);
        assertEquals(500, response.status());
        assertEquals("image 'fail-missing' not found\n", response.bodyText());
    }

    @Test
    void onlyPullStreams() throws Exception {
        byte[] health = Call.newBuilder().setType(Call.Type.GET_HEALTH).build().toByteArray();
        ApiResponse response = call(health, "application/recordio", "application/json");
        assertEquals(406, response.status());
        assertTrue(response.bodyText().startsWith("only PULL_IMAGE answers with application/recordio"));
    }

    @Test
    void aPullWithoutAnImageIsRefused() throws Exception {
        byte[] empty = Call.newBuilder().setType(Call.Type.PULL_IMAGE).build().toByteArray();
        ApiResponse response = call(empty, "application/json", null);
        assertEquals(400, response.status());
        assertEquals("PULL_IMAGE call has no 'pull_image.image'\n", response.bodyText());
    }

    @Test
    void imagesAreListedAndPruneKeepsTheExcluded() throws Exception {
        ApiResponse listed = call(Call.newBuilder().setType(Call.Type.GET_IMAGES).build().toByteArray(),
                "application/json", null);
        assertEquals("{\"type\":\"GET_IMAGES\",\"get_images\":{\"images\":[{\"type\":\"DOCKER\","
                + "\"name\":\"library/busybox:latest\"}]}}", listed.bodyText());

        String prune = "{\"type\":\"PRUNE_IMAGES\",\"prune_images\":{\"excluded_images\":"
                + "[{\"type\":\"DOCKER\",\"docker\":{\"name\":\"mysql:latest\"}}]}}";
        ApiResponse pruned = api.handle(prune.getBytes(StandardCharsets.UTF_8), "application/json", null)
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(200, pruned.status());
        assertEquals("mysql:latest", containerizer.prunes.get(0).get(0).getDocker().getName());
    }

    /** Reads the stream as a Mesos RecordIO client would: length, newline, record. */
    private static List<Response> records(ApiResponse response) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        response.streamer().stream(out);
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(out.toByteArray()));
        List<Response> records = new ArrayList<>();
        StringBuilder length = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            if (c != '\n') {
                length.append((char) c);
                continue;
            }
            byte[] record = new byte[Integer.parseInt(length.toString())];
            in.readFully(record);
            records.add(Response.parseFrom(record));
            length.setLength(0);
        }
        return records;
    }
}
