package org.unicon.agent.http.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.unicon.model.agent.Call;
import org.unicon.model.agent.Response;

/**
 * READ_FILE on real sandbox directories, files and symbolic links; the containerizer is the
 * stand-in (see {@link TestContainerizer}) that only says where each sandbox is.
 */
class ReadFileTest {

    @TempDir
    Path sandboxes;
    @TempDir
    Path outside;

    TestContainerizer containerizer;
    AgentApi api;
    Path sandbox;

    @BeforeEach
    void setUp() throws IOException {
        containerizer = new TestContainerizer(sandboxes);
        api = new AgentApi(containerizer, "0");
        sandbox = containerizer.running("c1");
        Files.writeString(sandbox.resolve("stdout"), "hello\nworld\n");
        Files.writeString(outside.resolve("secret"), "do not read");
        containerizer.running("c2");
        Files.writeString(sandboxes.resolve("c2/stdout"), "other container");
    }

    @Test
    void readsAFileOfTheSandboxWithItsSize() {
        Response.ReadFile read = ok(read("/containers/c1/stdout", null, null));

        assertEquals(12, read.getSize());
        assertEquals("hello\nworld\n", read.getData().toStringUtf8());
    }

    @Test
    void offsetAndLengthSelectAPartAndReadingPastTheEndGivesNothing() {
        assertEquals("world", ok(read("/containers/c1/stdout", 6L, 5L)).getData().toStringUtf8());
        Response.ReadFile past = ok(read("/containers/c1/stdout", 12L, 10L));
        assertEquals(12, past.getSize());
        assertTrue(past.getData().isEmpty());
        assertTrue(ok(read("/containers/c1/stdout", -1L, null)).getData().isEmpty(), "uint64 offset beyond 2^63");
    }

    @Test
    void lengthIsCappedAt64KiB() throws IOException {
        byte[] big = new byte[100_000];
        Arrays.fill(big, (byte) 'x');
        Files.write(sandbox.resolve("big"), big);

        Response.ReadFile whole = ok(read("/containers/c1/big", null, null));
        Response.ReadFile asked = ok(read("/containers/c1/big", 1000L, 1_000_000L));

        assertEquals(100_000, whole.getSize());
        assertEquals(SandboxFiles.MAX_LENGTH, whole.getData().size());
        assertEquals(SandboxFiles.MAX_LENGTH, asked.getData().size());
    }

    @Test
    void filesInSubdirectoriesAndLinksThatStayInsideAreReadable() throws IOException {
        Files.createDirectories(sandbox.resolve("logs"));
        Files.writeString(sandbox.resolve("logs/app.log"), "app");
        Files.createSymbolicLink(sandbox.resolve("latest"), sandbox.resolve("logs/app.log"));

        assertEquals("app", ok(read("/containers/c1/logs/app.log", null, null)).getData().toStringUtf8());
        assertEquals("app", ok(read("/containers/c1/./logs//app.log", null, null)).getData().toStringUtf8());
        assertEquals("app", ok(read("/containers/c1/latest", null, null)).getData().toStringUtf8());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "/containers/c1/../c2/stdout",
            "/containers/c1/../../etc/passwd",
            "/containers/c1/logs/../../c2/stdout",
            "/containers/c1/..",
            "/containers/../etc/passwd",
            "/containers/c1//etc/passwd",
    })
    void dotDotAndAbsolutePathsAreRefused(String path) {
        ApiResponse response = read(path, null, null);

        assertEquals(400, response.status(), response.bodyText());
        assertTrue(response.bodyText().contains("escapes the sandbox"), response.bodyText());
    }

    @Test
    void symbolicLinksLeadingOutOfTheSandboxAreRefused() throws IOException {
        Files.createSymbolicLink(sandbox.resolve("to-secret"), outside.resolve("secret"));
        Files.createSymbolicLink(sandbox.resolve("to-outside-dir"), outside);
        Files.createSymbolicLink(sandbox.resolve("to-other-sandbox"), sandboxes.resolve("c2"));
        Files.createSymbolicLink(sandbox.resolve("relative-out"), Path.of("../c2/stdout"));

        for (String path : new String[] {"/containers/c1/to-secret", "/containers/c1/to-outside-dir/secret",
                "/containers/c1/to-other-sandbox/stdout", "/containers/c1/relative-out"}) {
            ApiResponse response = read(path, null, null);
            assertEquals(400, response.status(), path + ": " + response.bodyText());
            assertEquals("path '" + path + "' escapes the sandbox of container 'c1' (a symbolic link leads outside it)\n",
                    response.bodyText());
        }
    }

    @Test
    void unknownContainersAndFilesAre404() {
        ApiResponse unknownContainer = read("/containers/nope/stdout", null, null);
        ApiResponse unknownFile = read("/containers/c1/nope", null, null);
        ApiResponse unknownPath = read("/slave/log", null, null);

        assertEquals(404, unknownContainer.status());
        assertEquals("container 'nope' is unknown\n", unknownContainer.bodyText());
        assertEquals(404, unknownFile.status());
        assertEquals("file 'nope' does not exist in the sandbox of container 'c1'\n", unknownFile.bodyText());
        assertEquals(404, unknownPath.status());
        assertTrue(unknownPath.bodyText().contains("/containers/<container id>/<file>"));
    }

    @Test
    void directoriesAndTheSandboxItselfAreNotFiles() throws IOException {
        Files.createDirectories(sandbox.resolve("logs"));

        assertEquals(400, read("/containers/c1/logs", null, null).status());
        assertEquals(400, read("/containers/c1/", null, null).status());
        assertEquals(400, read("/containers/c1", null, null).status());
        assertEquals(400, read("", null, null).status());
    }

    @Test
    void jsonCarriesTheDataAsBase64AsProtobufJsonDoes() {
        String body = "{\"type\":\"READ_FILE\",\"read_file\":{\"path\":\"/containers/c1/stdout\",\"length\":5}}";

        ApiResponse response = AgentApiTest.done(api.handle(body.getBytes(StandardCharsets.UTF_8), AgentApiTest.JSON, null));

        assertEquals("{\"type\":\"READ_FILE\",\"read_file\":{\"size\":\"12\",\"data\":\"aGVsbG8=\"}}", response.bodyText());
        assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8),
                AgentApiTest.parseJson(response).getReadFile().getData().toByteArray());
    }

    ApiResponse read(String path, Long offset, Long length) {
        Call.ReadFile.Builder readFile = Call.ReadFile.newBuilder().setPath(path);
        if (offset != null) {
            readFile.setOffset(offset);
        }
        if (length != null) {
            readFile.setLength(length);
        }
        Call call = Call.newBuilder().setType(Call.Type.READ_FILE).setReadFile(readFile).build();
        return AgentApiTest.done(api.handle(call.toByteArray(), AgentApiTest.PROTOBUF, AgentApiTest.PROTOBUF));
    }

    static Response.ReadFile ok(ApiResponse response) {
        assertEquals(200, response.status(), response.bodyText());
        try {
            return Response.parseFrom(response.body()).getReadFile();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
