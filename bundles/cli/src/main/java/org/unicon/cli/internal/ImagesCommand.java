package org.unicon.cli.internal;

import java.time.Instant;
import java.util.concurrent.Callable;

import org.unicon.model.ImageSummary;
import org.unicon.model.agent.Call;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code images}: the images in the agent's stores (GET_IMAGES). */
@Command(name = "images", mixinStandardHelpOptions = true,
        header = "List the images in the agent's image stores.",
        description = {"Lists every stored image with its type, digest, layer count and size on disk."})
final class ImagesCommand implements Callable<Integer> {

    @ParentCommand
    UniconCli unicon;

    @Mixin
    AgentOption agent;

    @Override
    public Integer call() {
        Call call = Call.newBuilder().setType(Call.Type.GET_IMAGES).build();
        Table table = new Table("TYPE", "NAME", "DIGEST", "LAYERS", "SIZE", "PULLED");
        for (ImageSummary image : unicon.client(agent).call(call).response().getGetImages().getImagesList()) {
            table.row(image.getType().name().toLowerCase(java.util.Locale.ROOT), image.getName(),
                    image.getDigest(), Integer.toString(image.getLayers()), Bytes.human(image.getSize()),
                    image.hasPulledMillis() ? Instant.ofEpochMilli(image.getPulledMillis()).toString() : "-");
        }
        table.print(unicon.out());
        return 0;
    }
}
