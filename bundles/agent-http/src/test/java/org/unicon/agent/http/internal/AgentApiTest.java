package org.unicon.agent.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import com.google.protobuf.UnknownFieldSet;
import com.google.protobuf.util.JsonFormat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.unicon.containerizer.ContainerizerException;
import org.unicon.model.CommandInfo;
import org.unicon.model.ContainerID;
import org.unicon.model.ContainerInfo;
import org.unicon.model.ContainerTermination;
import org.unicon.model.Image;
import org.unicon.model.PluginInfo;
import org.unicon.model.Resource;
import org.unicon.model.TaskState;
import org.unicon.model.TaskStatus;
import org.unicon.model.Value;
import org.unicon.model.agent.Call;
import org.unicon.model.agent.Response;

/** The call dispatch, without HTTP, against {@link TestContainerizer} (see there why a stand-in). */
class AgentApiTest {

    static final String JSON = "application/json";
    static final String PROTOBUF = "application/x-protobuf";

    @TempDir
    Path sandboxes;

    TestContainerizer containerizer;
    AgentApi api;

    @BeforeEach
    void setUp() {
        containerizer = new TestContainerizer(sandboxes);
        api = new AgentApi(containerizer, "1.2.3");
    }

    // --- encodings -------------------------------------------------------------------------

    @Test
    void launchWrittenAsInMesosDocsReachesTheContainerizerIntact() {
        String body = """
                {"type":"LAUNCH_CONTAINER","launch_container":{"container_id":{"value":"my-standalone-container-id"},
                "command":{"value":"sleep 100"},"resources":[{"name":"cpus","type":"SCALAR","scalar":{"value":2.0}},
                {"name":"mem","type":"SCALAR","scalar":{"value":1024.0}}],"container":{"type":"MESOS","mesos":{"image":
                {"type":"DOCKER","docker":{"name":"alpine"}}}}}}""";

        ApiResponse response = json(body);

        assertEquals(200, response.status(), response.bodyText());
        assertEquals(List.of(Call.LaunchContainer.newBuilder()
                .setContainerId(id("my-standalone-container-id"))
                .setCommand(CommandInfo.newBuilder().setValue("sleep 100"))
                .addResources(scalar("cpus", 2.0))
                .addResources(scalar("mem", 1024.0))
                .setContainer(ContainerInfo.newBuilder().setType(ContainerInfo.Type.MESOS)
                        .setMesos(ContainerInfo.MesosInfo.newBuilder().setImage(Image.newBuilder()
                                .setType(Image.Type.DOCKER).setDocker(Image.Docker.newBuilder().setName("alpine")))))
                .build()), containerizer.launches);
    }

    @Test
    void protobufCallAsAMesosClientSendsItIsAnsweredInProtobuf() throws Exception {
        Call launch = Call.newBuilder().setType(Call.Type.LAUNCH_CONTAINER)
                .setLaunchContainer(Call.LaunchContainer.newBuilder().setContainerId(id("c1"))
                        .setCommand(CommandInfo.newBuilder().setShell(false).addArguments("/bin/true")))
                .build();
        assertEquals(200, proto(launch).status());
        assertEquals(launch.getLaunchContainer(), containerizer.launches.get(0));

        ApiResponse listed = proto(Call.newBuilder().setType(Call.Type.GET_CONTAINERS)
                .setGetContainers(Call.GetContainers.newBuilder().setShowStandalone(true)).build());

        assertEquals(200, listed.status());
        assertEquals(PROTOBUF, listed.contentType());
        Response response = Response.parseFrom(listed.body());
        assertEquals(Response.Type.GET_CONTAINERS, response.getType());
        assertEquals("c1", response.getGetContainers().getContainers(0).getContainerId().getValue());
    }

    @Test
    void jsonAnswersUseProtoFieldNamesAndEnumNames() {
        containerizer.running("c1");

        ApiResponse listed = json("{\"type\":\"GET_CONTAINERS\",\"get_containers\":{\"show_standalone\":true}}");

        assertEquals(JSON, listed.contentType());
        assertEquals("{\"type\":\"GET_CONTAINERS\",\"get_containers\":{\"containers\":[{\"container_id\":"
                + "{\"value\":\"c1\"},\"state\":\"RUNNING\"}]}}", listed.bodyText());
    }

    @Test
    void acceptChoosesTheResponseEncodingWhateverTheRequestsEncoding() throws Exception {
        byte[] health = "{\"type\":\"GET_HEALTH\"}".getBytes(StandardCharsets.UTF_8);

        ApiResponse response = done(api.handle(health, JSON, PROTOBUF));

        assertEquals(PROTOBUF, response.contentType());
        assertTrue(Response.parseFrom(response.body()).getGetHealth().getHealthy());
        assertEquals(406, done(api.handle(health, JSON, "text/html")).status());
    }

    // --- LAUNCH_CONTAINER ------------------------------------------------------------------

    @Test
    void launchOfAnExistingIdAnswers202AndLaunchesNothing() {
        containerizer.running("c1");

        assertEquals(202, json(launchJson("c1")).status());
        assertTrue(containerizer.launches.isEmpty());
    }

    @Test
    void failedLaunchAnswers400WithTheContainerizersReason() {
        ApiResponse response = json(launchJson(TestContainerizer.FAILING + "1"));

        assertEquals(400, response.status());
        assertEquals("image 'nosuch' not found in registry\n", response.bodyText());
    }

    @Test
    void invalidIdIsTheContainerizersToRefuse() {
        ApiResponse response = json(launchJson(""));

        assertEquals(400, response.status());
        assertEquals("container ID '' is invalid\n", response.bodyText());
    }

    @Test
    void launchWithoutPayloadOrIdIsRefusedAndLaunchesNothing() {
        ApiResponse noPayload = json("{\"type\":\"LAUNCH_CONTAINER\"}");
        ApiResponse noId = json("{\"type\":\"LAUNCH_CONTAINER\",\"launch_container\":{\"command\":{\"value\":\"true\"}}}");

        assertEquals(400, noPayload.status());
        assertEquals("LAUNCH_CONTAINER call has no 'launch_container'\n", noPayload.bodyText());
        assertEquals(400, noId.status());
        assertEquals("launch_container.container_id is missing\n", noId.bodyText());
        assertTrue(containerizer.launches.isEmpty());
    }

    // --- WAIT_CONTAINER --------------------------------------------------------------------

    @Test
    void waitAnswersWhenTheContainerTerminatesWithTheRawWaitStatus() throws Exception {
        containerizer.running("c1");
        CompletableFuture<ApiResponse> answer = api.handle(bytes(waitJson("c1")), JSON, null).toCompletableFuture();
        assertFalse(answer.isDone(), "answered before the container terminated");

        containerizer.terminate("c1", ContainerTermination.newBuilder()
                .setStatus(3 << 8).setState(TaskState.TASK_FAILED)
                .setReason(TaskStatus.Reason.REASON_CONTAINER_LIMITATION_MEMORY)
                .setMessage("Memory limit exceeded").addLimitedResources(scalar("mem", 64))
                .build());

        ApiResponse response = answer.join();
        assertEquals(200, response.status());
        Response.WaitContainer wait = parseJson(response).getWaitContainer();
        assertEquals(768, wait.getExitStatus());
        assertEquals(TaskState.TASK_FAILED, wait.getState());
        assertEquals(TaskStatus.Reason.REASON_CONTAINER_LIMITATION_MEMORY, wait.getReason());
        assertEquals("Memory limit exceeded", wait.getMessage());
        assertEquals(List.of(scalar("mem", 64)), wait.getLimitation().getResourcesList());
    }

    @Test
    void waitOnAKilledContainerReportsTheSignalAsWaitDoes() {
        containerizer.running("c1");
        containerizer.terminate("c1", ContainerTermination.newBuilder().setStatus(15)
                .setState(TaskState.TASK_KILLED).build());

        Response response = parseJson(json(waitJson("c1")));

        assertEquals(15, response.getWaitContainer().getExitStatus());
        assertFalse(response.getWaitContainer().hasLimitation());
    }

    @Test
    void waitOnAnUnknownContainerAnswers404() {
        ApiResponse response = json(waitJson("nope"));

        assertEquals(404, response.status());
        assertEquals("container 'nope' is unknown\n", response.bodyText());
    }

    @Test
    void waitWhoseTerminationFailsAnswersByKind() {
        containerizer.running("c1");
        CompletableFuture<ApiResponse> answer = api.handle(bytes(waitJson("c1")), JSON, null).toCompletableFuture();

        containerizer.containers.get("c1").completeExceptionally(
                new ContainerizerException(ContainerizerException.Kind.FAILED, "cannot read the exit status of 'c1'"));

        assertEquals(500, answer.join().status());
        assertEquals("cannot read the exit status of 'c1'\n", answer.join().bodyText());
    }

    // --- KILL_CONTAINER / REMOVE_CONTAINER -------------------------------------------------

    @Test
    void killSendsSigkillUnlessAnotherSignalIsNamed() {
        containerizer.running("c1");

        assertEquals(200, json("{\"type\":\"KILL_CONTAINER\",\"kill_container\":{\"container_id\":{\"value\":\"c1\"}}}").status());
        assertEquals(200, json("{\"type\":\"KILL_CONTAINER\",\"kill_container\":"
                + "{\"container_id\":{\"value\":\"c1\"},\"signal\":15}}").status());

        assertEquals(List.of("c1:9", "c1:15"), containerizer.kills);
    }

    @Test
    void killOfAnUnknownOrTerminatedContainerAnswers404() {
        containerizer.running("c1");
        containerizer.terminate("c1", ContainerTermination.newBuilder().setStatus(0).build());

        ApiResponse unknown = json("{\"type\":\"KILL_CONTAINER\",\"kill_container\":{\"container_id\":{\"value\":\"c2\"}}}");
        ApiResponse terminated = json("{\"type\":\"KILL_CONTAINER\",\"kill_container\":{\"container_id\":{\"value\":\"c1\"}}}");

        assertEquals(404, unknown.status());
        assertEquals("container 'c2' is unknown\n", unknown.bodyText());
        assertEquals(404, terminated.status());
        assertEquals("container 'c1' has already terminated\n", terminated.bodyText());
    }

    @Test
    void removeAnswers200Then404AndRefusesARunningContainerWith409() {
        containerizer.running("run");
        containerizer.running("done");
        containerizer.terminate("done", ContainerTermination.newBuilder().setStatus(0).build());

        assertEquals(409, json(removeJson("run")).status());
        assertEquals(200, json(removeJson("done")).status());
        ApiResponse again = json(removeJson("done"));

        assertEquals(404, again.status());
        assertEquals("container 'done' is unknown\n", again.bodyText());
        assertEquals(List.of("done"), containerizer.removed);
    }

    @Test
    void updatePassesResourcesAndLimitsAndAnswers404ForAnUnknownContainer() {
        containerizer.running("c1");

        ApiResponse ok = json("{\"type\":\"UPDATE_CONTAINER\",\"update_container\":{\"container_id\":{\"value\":\"c1\"},"
                + "\"resources\":[{\"name\":\"mem\",\"type\":\"SCALAR\",\"scalar\":{\"value\":64}}],"
                + "\"limits\":{\"cpus\":{\"value\":0.5}}}}");
        ApiResponse unknown = json("{\"type\":\"UPDATE_CONTAINER\",\"update_container\":{\"container_id\":{\"value\":\"c2\"}}}");

        assertEquals(200, ok.status());
        assertEquals(List.of("c1 1 [cpus]"), containerizer.updates);
        assertEquals(404, unknown.status());
        assertEquals("container 'c2' is unknown\n", unknown.bodyText());
    }

    // --- queries ---------------------------------------------------------------------------

    @Test
    void standaloneContainersAreListedOnlyWhenAskedForAsInMesos() {
        containerizer.running("c1");

        assertEquals(0, parseJson(json("{\"type\":\"GET_CONTAINERS\"}")).getGetContainers().getContainersCount());
        assertEquals(1, parseJson(json("{\"type\":\"GET_CONTAINERS\",\"get_containers\":{\"show_standalone\":true}}"))
                .getGetContainers().getContainersCount());
    }

    @Test
    void healthVersionAndPlugins() {
        containerizer.plugins = List.of(PluginInfo.newBuilder().setKind(PluginInfo.Kind.ISOLATOR)
                .setName("cgroups/mem").setStatus(PluginInfo.Status.MISSING).setProblem("not registered").build());

        assertTrue(parseJson(json("{\"type\":\"GET_HEALTH\"}")).getGetHealth().getHealthy());
        assertEquals("1.2.3", parseJson(json("{\"type\":\"GET_VERSION\"}")).getGetVersion().getVersionInfo().getVersion());
        Response plugins = parseJson(json("{\"type\":\"GET_PLUGINS\"}"));
        assertEquals(Response.Type.GET_PLUGINS, plugins.getType());
        assertEquals(containerizer.plugins, plugins.getGetPlugins().getPluginsList());
    }

    // --- refused calls ---------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "{}                                  | the call has no 'type'",
            "{\"type\":\"GET_STATE\"}           | call type GET_STATE is not supported by Unicon; supported: ",
            "{\"type\":\"UNKNOWN\"}             | call type UNKNOWN is not supported by Unicon; supported: ",
            "{\"type\":\"NO_SUCH\"}             | malformed JSON Call: Invalid enum value: \"NO_SUCH\" for enum type",
            "{\"type\":\"GET_HEALTH\",\"typo\":1} | malformed JSON Call: Cannot find field: typo",
            "{\"type\":                          | malformed JSON Call: ",
            "{\"type\":\"WAIT_CONTAINER\"}      | WAIT_CONTAINER call has no 'wait_container'",
            "{\"type\":\"KILL_CONTAINER\",\"kill_container\":{}} | kill_container.container_id is missing",
            "{\"type\":\"REMOVE_CONTAINER\",\"remove_container\":{}} | remove_container.container_id is missing",
            "{\"type\":\"READ_FILE\"}           | READ_FILE call has no 'read_file'",
            "{\"type\":\"UPDATE_CONTAINER\"}    | UPDATE_CONTAINER call has no 'update_container'",
            "{\"type\":\"UPDATE_CONTAINER\",\"update_container\":{}} | update_container.container_id is missing",
    })
    void refusedJsonCallsAre400WithAReason(String body, String reason) {
        ApiResponse response = json(body);

        assertEquals(400, response.status());
        assertEquals(ApiResponse.TEXT, response.contentType());
        assertTrue(response.bodyText().startsWith(reason), response.bodyText());
        assertTrue(response.bodyText().indexOf('\n') == response.bodyText().length() - 1, "one line");
    }

    @Test
    void malformedOrEmptyBodiesAreRefusedAndChangeNothing() {
        assertEquals("malformed protobuf Call", done(api.handle(new byte[] {8, (byte) 0x80}, PROTOBUF, null))
                .bodyText().split(":")[0]);
        assertEquals("malformed JSON Call: the body is not valid UTF-8\n",
                done(api.handle(new byte[] {'{', (byte) 0xff, '}'}, JSON, null)).bodyText());
        assertEquals("the request body is empty: send a mesos.v1.agent.Call\n",
                done(api.handle(new byte[0], JSON, null)).bodyText());
        assertEquals(415, done(api.handle(bytes(launchJson("c1")), "text/plain", null)).status());
        assertTrue(containerizer.launches.isEmpty());
    }

    @Test
    void protobufCallTypeUnknownToUniconIsNamedByNumber() {
        Call call = Call.newBuilder().setUnknownFields(UnknownFieldSet.newBuilder()
                .addField(Call.TYPE_FIELD_NUMBER, UnknownFieldSet.Field.newBuilder().addVarint(33).build()).build()).build();

        ApiResponse response = done(api.handle(call.toByteArray(), PROTOBUF, null));

        assertEquals(400, response.status());
        assertTrue(response.bodyText().startsWith("call type 33 is not supported by Unicon"), response.bodyText());
    }

    @Test
    void aBugInTheContainerizerIs500AndTheApiKeepsAnswering() {
        ApiResponse response = json(launchJson(TestContainerizer.BROKEN + "1"));

        assertEquals(500, response.status());
        assertTrue(response.bodyText().startsWith("internal error while handling LAUNCH_CONTAINER: "));
        assertEquals(200, json("{\"type\":\"GET_HEALTH\"}").status());
    }

    @ParameterizedTest
    @CsvSource({
            "INVALID, WAIT_CONTAINER, 400", "NOT_FOUND, REMOVE_CONTAINER, 404", "CONFLICT, REMOVE_CONTAINER, 409",
            "FAILED, KILL_CONTAINER, 500", "FAILED, LAUNCH_CONTAINER, 400", "NOT_FOUND, LAUNCH_CONTAINER, 404",
    })
    void containerizerFailuresMapToStatusCodesByKind(ContainerizerException.Kind kind, Call.Type type, int status) {
        assertEquals(status, AgentApi.status(kind, type));
    }

    // --- helpers ---------------------------------------------------------------------------

    ApiResponse json(String body) {
        return done(api.handle(bytes(body), JSON, null));
    }

    ApiResponse proto(Call call) {
        return done(api.handle(call.toByteArray(), PROTOBUF, PROTOBUF));
    }

    static ApiResponse done(java.util.concurrent.CompletionStage<ApiResponse> stage) {
        CompletableFuture<ApiResponse> future = stage.toCompletableFuture();
        assertTrue(future.isDone(), "only WAIT_CONTAINER may answer later");
        return future.join();
    }

    static Response parseJson(ApiResponse response) {
        assertEquals(200, response.status(), response.bodyText());
        assertEquals(JSON, response.contentType());
        try {
            Response.Builder builder = Response.newBuilder();
            JsonFormat.parser().merge(response.bodyText(), builder);
            return builder.build();
        } catch (Exception e) {
            throw new AssertionError("not a JSON Response: " + response.bodyText(), e);
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static ContainerID id(String value) {
        return ContainerID.newBuilder().setValue(value).build();
    }

    static Resource scalar(String name, double value) {
        return Resource.newBuilder().setName(name).setType(Value.Type.SCALAR)
                .setScalar(Value.Scalar.newBuilder().setValue(value)).build();
    }

    static String launchJson(String id) {
        return "{\"type\":\"LAUNCH_CONTAINER\",\"launch_container\":{\"container_id\":{\"value\":\"" + id
                + "\"},\"command\":{\"value\":\"true\"}}}";
    }

    static String waitJson(String id) {
        return "{\"type\":\"WAIT_CONTAINER\",\"wait_container\":{\"container_id\":{\"value\":\"" + id + "\"}}}";
    }

    static String removeJson(String id) {
        return "{\"type\":\"REMOVE_CONTAINER\",\"remove_container\":{\"container_id\":{\"value\":\"" + id + "\"}}}";
    }
}
