package org.unicon.cli.internal;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import org.unicon.model.Image;
import org.unicon.model.ImageSummary;
import org.unicon.model.agent.Call;
import org.unicon.model.agent.Response;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code pull}: fetch an image into the agent's store, with progress (PULL_IMAGE). */
@Command(name = "pull", mixinStandardHelpOptions = true,
        header = "Fetch an image into the agent's image store.",
        description = {"Fetches the image (and every layer it does not have yet) without running anything, "
                + "showing progress per layer. Images already stored are re-resolved by tag."})
final class PullCommand implements Callable<Integer> {

    @ParentCommand
    UniconCli unicon;

    @Mixin
    AgentOption agent;

    static final class Which {
        @Option(names = "--docker_image", paramLabel = "IMAGE", required = true,
                description = "A Docker image: [REGISTRY[:PORT]/]REPOSITORY[:TAG|@DIGEST], e.g. busybox.")
        String docker;

        @Option(names = "--appc_image", paramLabel = "NAME[,label=value...]", required = true,
                description = "An appc image, e.g. example.com/app,version=1.0.0.")
        String appc;
    }

    @ArgGroup(multiplicity = "1")
    Which which;

    private final Map<String, long[]> layers = new LinkedHashMap<>();

    @Override
    public Integer call() {
        // An explicit pull re-resolves the tag (cached=false), as `docker pull` does; layers
        // already stored are still never fetched again.
        Image image = which.docker != null ? ImageFlag.docker(which.docker) : ImageFlag.appc(which.appc);
        Call call = Call.newBuilder().setType(Call.Type.PULL_IMAGE).setPullImage(Call.PullImage.newBuilder()
                .setImage(image.toBuilder().setCached(false))).build();
        PrintStream out = unicon.out();
        boolean terminal = System.console() != null;
        ImageSummary[] result = new ImageSummary[1];
        String[] error = new String[1];
        unicon.client(agent).stream(call, record -> {
            Response.PullImage event = record.getPullImage();
            if (event.hasImage()) {
                result[0] = event.getImage();
            } else if (event.hasError()) {
                error[0] = event.getError();
            } else {
                update(event, out, terminal);
            }
        });
        if (terminal && !layers.isEmpty()) {
            out.println();
        }
        if (error[0] != null) {
            throw new CliException(CliException.AGENT_REFUSED, error[0]);
        }
        ImageSummary pulled = result[0];
        if (pulled == null) {
            throw new CliException(CliException.AGENT_REFUSED, "the agent ended the pull without saying how it went");
        }
        out.println("pulled " + pulled.getName() + (pulled.hasDigest() ? " (" + pulled.getDigest() + ")" : "")
                + ": " + pulled.getLayers() + " layers, " + Bytes.human(pulled.getSize()));
        return 0;
    }

    /** Tracks [size, fetched, cached, done] per layer and shows it. */
    private void update(Response.PullImage event, PrintStream out, boolean terminal) {
        long[] layer = layers.computeIfAbsent(event.getLayer(), k -> new long[] {-1, 0, 0, 0});
        if (event.hasLayerSize()) {
            layer[0] = event.getLayerSize();
            layer[2] = event.getLayerCached() ? 1 : 0;
        }
        if (event.hasLayerFetched()) {
            layer[1] = event.getLayerFetched();
        }
        if (event.getLayerDone()) {
            layer[3] = 1;
        }
        if (terminal) {
            out.print("\r" + bar());
            out.flush();
        } else if (event.getLayerDone() || (event.hasLayerSize() && event.getLayerCached())) {
            out.println(shortDigest(event.getLayer()) + ": " + (layer[2] == 1 ? "already stored"
                    : "fetched " + Bytes.human(layer[1])));
        }
    }

    private String bar() {
        long total = 0;
        long fetched = 0;
        int done = 0;
        for (long[] layer : layers.values()) {
            total += Math.max(layer[0], 0);
            fetched += layer[2] == 1 ? Math.max(layer[0], 0) : layer[1];
            done += layer[3] == 1 || layer[2] == 1 ? 1 : 0;
        }
        int width = 30;
        int filled = total > 0 ? (int) Math.min(width, fetched * width / total) : 0;
        return "[" + "=".repeat(filled) + " ".repeat(width - filled) + "] " + done + "/" + layers.size()
                + " layers, " + Bytes.human(fetched) + " of " + (total > 0 ? Bytes.human(total) : "?") + "   ";
    }

    private static String shortDigest(String digest) {
        int colon = digest.indexOf(':');
        return colon >= 0 && digest.length() > colon + 13 ? digest.substring(0, colon + 13) : digest;
    }
}
