package org.unicon.agent.http.internal;

import static java.lang.System.Logger.Level.DEBUG;
import static java.lang.System.Logger.Level.ERROR;
import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;

import org.unicon.agent.http.internal.ApiCodec.Encoding;
import org.unicon.containerizer.Containerizer;
import org.unicon.containerizer.ContainerizerException;
import org.unicon.containerizer.Terminations;
import org.unicon.model.ContainerID;
import org.unicon.model.ContainerTermination;
import org.unicon.model.VersionInfo;
import org.unicon.model.agent.Call;
import org.unicon.model.agent.Response;

/**
 * The v1 agent API for standalone containers, without HTTP: a request body and its content type
 * in, a status and a body out. Every refused request (malformed, incomplete, unsupported) is
 * answered with a one-line plain-text reason before the containerizer is asked to change anything.
 *
 * <p>Status codes follow Mesos: LAUNCH_CONTAINER answers 200 when launched, 202 when the ID
 * exists already and 400 when the launch fails; containerizer failures map by kind (INVALID 400,
 * NOT_FOUND 404, CONFLICT 409, FAILED 500).
 */
final class AgentApi {

    private static final System.Logger LOG = System.getLogger(AgentApi.class.getName());

    /** KILL_CONTAINER's signal when the call names none, as in Mesos. */
    static final int SIGKILL = 9;

    private static final Set<Call.Type> SUPPORTED = EnumSet.of(
            Call.Type.GET_HEALTH, Call.Type.GET_VERSION, Call.Type.GET_CONTAINERS, Call.Type.READ_FILE,
            Call.Type.LAUNCH_CONTAINER, Call.Type.WAIT_CONTAINER, Call.Type.KILL_CONTAINER,
            Call.Type.REMOVE_CONTAINER, Call.Type.GET_PLUGINS, Call.Type.PULL_IMAGE, Call.Type.GET_IMAGES,
            Call.Type.PRUNE_IMAGES, Call.Type.UPDATE_CONTAINER);

    private final Containerizer containerizer;
    private final String version;
    private final SandboxFiles files;

    /** @param version what GET_VERSION reports (the agent bundle's version) */
    AgentApi(Containerizer containerizer, String version) {
        this.containerizer = containerizer;
        this.version = version;
        this.files = new SandboxFiles(containerizer);
    }

    /**
     * Answers one call. The stage is already complete for every call but WAIT_CONTAINER, which
     * completes when the container terminates; it never completes exceptionally.
     *
     * @param contentType the request's {@code Content-Type} header, null if absent
     * @param accept the request's {@code Accept} header, null if absent
     */
    CompletionStage<ApiResponse> handle(byte[] body, String contentType, String accept) {
        return handle(body, contentType, accept, null);
    }

    /**
     * As {@link #handle(byte[], String, String)}; {@code Accept: application/recordio} asks for
     * a stream of records (PULL_IMAGE only), each encoded as {@code messageAccept} says.
     */
    CompletionStage<ApiResponse> handle(byte[] body, String contentType, String accept, String messageAccept) {
        Call call;
        Encoding out;
        boolean streamed = RecordIo.requested(accept);
        try {
            Encoding in = ApiCodec.requestEncoding(contentType);
            out = ApiCodec.responseEncoding(streamed ? messageAccept : accept);
            call = ApiCodec.parseCall(body, in);
            if (streamed && call.getType() != Call.Type.PULL_IMAGE) {
                throw new ApiError(406, "only PULL_IMAGE answers with application/recordio; "
                        + call.getType() + " answers with application/json or application/x-protobuf");
            }
        } catch (ApiError e) {
            LOG.log(DEBUG, "refused a request with {0}: {1}", e.status(), e.getMessage());
            return CompletableFuture.completedFuture(e.toResponse());
        }
        try {
            return dispatch(call, out, streamed);
        } catch (ApiError e) {
            LOG.log(DEBUG, "refused {0} with {1}: {2}", call.getType(), e.status(), e.getMessage());
            return CompletableFuture.completedFuture(e.toResponse());
        } catch (ContainerizerException e) {
            return CompletableFuture.completedFuture(failure(call.getType(), e));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(internalError(call.getType(), e));
        }
    }

    private CompletionStage<ApiResponse> dispatch(Call call, Encoding out, boolean streamed)
            throws ApiError, ContainerizerException {
        if (!call.hasType()) {
            // proto2 keeps an enum number it does not know as an unknown field.
            List<Long> unknown = call.getUnknownFields().hasField(Call.TYPE_FIELD_NUMBER)
                    ? call.getUnknownFields().getField(Call.TYPE_FIELD_NUMBER).getVarintList() : List.of();
            throw new ApiError(400, unknown.isEmpty()
                    ? "the call has no 'type'"
                    : "call type " + unknown.get(0) + " is not supported by Unicon; supported: " + supported());
        }
        Response.Builder response = Response.newBuilder();
        switch (call.getType()) {
            case GET_HEALTH -> response.setType(Response.Type.GET_HEALTH)
                    .setGetHealth(Response.GetHealth.newBuilder().setHealthy(true));
            case GET_VERSION -> response.setType(Response.Type.GET_VERSION)
                    .setGetVersion(Response.GetVersion.newBuilder()
                            .setVersionInfo(VersionInfo.newBuilder().setVersion(version)));
            case GET_CONTAINERS -> response.setType(Response.Type.GET_CONTAINERS)
                    .setGetContainers(containers(call.getGetContainers()));
            case GET_PLUGINS -> response.setType(Response.Type.GET_PLUGINS)
                    .setGetPlugins(Response.GetPlugins.newBuilder().addAllPlugins(containerizer.plugins()));
            case READ_FILE -> {
                require(call.hasReadFile(), call.getType(), "read_file");
                response.setType(Response.Type.READ_FILE).setReadFile(files.read(call.getReadFile()));
            }
            case LAUNCH_CONTAINER -> {
                return completed(launch(call));
            }
            case WAIT_CONTAINER -> {
                require(call.hasWaitContainer(), call.getType(), "wait_container");
                return waitFor(containerId(call.getWaitContainer().hasContainerId(),
                        call.getWaitContainer().getContainerId(), "wait_container"), out);
            }
            case KILL_CONTAINER -> {
                return completed(kill(call));
            }
            case PULL_IMAGE -> {
                require(call.hasPullImage() && call.getPullImage().hasImage(), call.getType(), "pull_image.image");
                return completed(new ImagePull(containerizer, call.getPullImage().getImage(), out).answer(streamed));
            }
            case GET_IMAGES -> response.setType(Response.Type.GET_IMAGES)
                    .setGetImages(Response.GetImages.newBuilder().addAllImages(containerizer.images()));
            case PRUNE_IMAGES -> {
                containerizer.prune(call.getPruneImages().getExcludedImagesList());
                LOG.log(INFO, "images pruned, keeping {0} excluded", call.getPruneImages().getExcludedImagesCount());
                return completed(ApiResponse.empty(200));
            }
            case UPDATE_CONTAINER -> {
                require(call.hasUpdateContainer(), call.getType(), "update_container");
                Call.UpdateContainer update = call.getUpdateContainer();
                ContainerID id = containerId(update.hasContainerId(), update.getContainerId(), "update_container");
                containerizer.update(id, update.getResourcesList(), update.getLimitsMap());
                LOG.log(INFO, "container ''{0}'' updated to {1} resource(s) and {2} limit(s)", id.getValue(),
                        update.getResourcesCount(), update.getLimitsCount());
                return completed(ApiResponse.empty(200));
            }
            case REMOVE_CONTAINER -> {
                require(call.hasRemoveContainer(), call.getType(), "remove_container");
                ContainerID id = containerId(call.getRemoveContainer().hasContainerId(),
                        call.getRemoveContainer().getContainerId(), "remove_container");
                containerizer.remove(id);
                LOG.log(INFO, "container ''{0}'' removed", id.getValue());
                return completed(ApiResponse.empty(200));
            }
            default -> throw new ApiError(400, "call type " + call.getType()
                    + " is not supported by Unicon; supported: " + supported());
        }
        return completed(ok(response.build(), out));
    }

    private ApiResponse launch(Call call) throws ApiError, ContainerizerException {
        require(call.hasLaunchContainer(), call.getType(), "launch_container");
        Call.LaunchContainer launch = call.getLaunchContainer();
        ContainerID id = containerId(launch.hasContainerId(), launch.getContainerId(), "launch_container");
        Containerizer.LaunchResult result = containerizer.launch(launch);
        LOG.log(INFO, "container ''{0}'' {1}", id.getValue(),
                result == Containerizer.LaunchResult.LAUNCHED ? "launched" : "exists already; launch ignored");
        return ApiResponse.empty(result == Containerizer.LaunchResult.LAUNCHED ? 200 : 202);
    }

    private ApiResponse kill(Call call) throws ApiError, ContainerizerException {
        require(call.hasKillContainer(), call.getType(), "kill_container");
        Call.KillContainer kill = call.getKillContainer();
        ContainerID id = containerId(kill.hasContainerId(), kill.getContainerId(), "kill_container");
        int signal = kill.hasSignal() ? kill.getSignal() : SIGKILL;
        if (!containerizer.kill(id, signal)) {
            throw new ApiError(404, containerizer.wait(id).isPresent()
                    ? "container '" + id.getValue() + "' has already terminated"
                    : "container '" + id.getValue() + "' is unknown");
        }
        LOG.log(INFO, "container ''{0}'' sent signal {1}", id.getValue(), signal);
        return ApiResponse.empty(200);
    }

    /** Answers when the container terminates; holds no thread meanwhile. */
    private CompletionStage<ApiResponse> waitFor(ContainerID id, Encoding out) throws ApiError {
        Optional<CompletionStage<ContainerTermination>> termination = containerizer.wait(id);
        if (termination.isEmpty()) {
            throw new ApiError(404, "container '" + id.getValue() + "' is unknown");
        }
        return termination.get().handle((t, error) -> {
            try {
                if (error == null) {
                    return ok(Response.newBuilder().setType(Response.Type.WAIT_CONTAINER)
                            .setWaitContainer(Terminations.waitContainer(t)).build(), out);
                }
                Throwable cause = error instanceof CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                return cause instanceof ContainerizerException e
                        ? failure(Call.Type.WAIT_CONTAINER, e)
                        : internalError(Call.Type.WAIT_CONTAINER, cause);
            } catch (RuntimeException e) {
                return internalError(Call.Type.WAIT_CONTAINER, e);
            }
        });
    }

    /** Mesos lists standalone containers only when asked to, and nested ones only when asked to. */
    private Response.GetContainers containers(Call.GetContainers query) {
        return Response.GetContainers.newBuilder()
                .addAllContainers(containerizer.containers().stream()
                        .filter(c -> c.getContainerId().hasParent() ? query.getShowNested() : query.getShowStandalone())
                        .toList())
                .build();
    }

    private static void require(boolean present, Call.Type type, String field) throws ApiError {
        if (!present) {
            throw new ApiError(400, type + " call has no '" + field + "'");
        }
    }

    /** Only presence is checked here: the containerizer validates the ID itself (INVALID). */
    private static ContainerID containerId(boolean present, ContainerID id, String payload) throws ApiError {
        if (!present) {
            throw new ApiError(400, payload + ".container_id is missing");
        }
        return id;
    }

    static ApiResponse ok(Response response, Encoding out) {
        return new ApiResponse(200, out.mediaType, ApiCodec.print(response, out));
    }

    private static CompletionStage<ApiResponse> completed(ApiResponse response) {
        return CompletableFuture.completedFuture(response);
    }

    static int status(ContainerizerException.Kind kind, Call.Type type) {
        return switch (kind) {
            case INVALID -> 400;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            // Mesos answers a failed launch with 400 Bad Request.
            case FAILED -> type == Call.Type.LAUNCH_CONTAINER ? 400 : 500;
        };
    }

    static ApiResponse failure(Call.Type type, ContainerizerException e) {
        int status = status(e.kind(), type);
        LOG.log(status >= 500 ? WARNING : DEBUG, "{0} answered {1}: {2}", type, status, e.getMessage());
        return ApiResponse.text(status, e.getMessage());
    }

    private static ApiResponse internalError(Call.Type type, Throwable e) {
        LOG.log(ERROR, "internal error while handling " + type, e);
        return ApiResponse.text(500, "internal error while handling " + type + ": " + e);
    }

    private static String supported() {
        return SUPPORTED.stream().map(Enum::name).collect(Collectors.joining(", "));
    }
}
