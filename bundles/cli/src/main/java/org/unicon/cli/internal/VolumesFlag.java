package org.unicon.cli.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import org.unicon.model.ContainerInfo;
import org.unicon.model.Volume;

/**
 * Parses {@code --volumes} as {@code mesos-execute} does: a JSON array of Mesos {@code Volume}s
 * (proto field names), inline or as a path to a file holding it, e.g.
 * {@code [{"container_path":"/data","host_path":"/srv/data","mode":"RO"}]}.
 */
final class VolumesFlag {
    private VolumesFlag() {}

    static List<Volume> parse(String text) {
        String json = text.strip();
        String source = "--volumes";
        if (json.startsWith("file://") || json.startsWith("/")) {
            Path file = Path.of(json.startsWith("file://") ? json.substring("file://".length()) : json);
            source = "--volumes file " + file;
            try {
                json = Files.readString(file);
            } catch (IOException e) {
                throw CliException.usage("cannot read the --volumes file " + file + ": " + e.getMessage());
            }
        }
        if (!json.startsWith("[")) {
            throw CliException.usage(source + " must be a JSON array of volumes, e.g. "
                    + "[{\"container_path\":\"/data\",\"host_path\":\"/srv/data\",\"mode\":\"RO\"}]");
        }
        ContainerInfo.Builder holder = ContainerInfo.newBuilder();
        try {
            JsonFormat.parser().merge("{\"volumes\":" + json + "}", holder);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            throw CliException.usage(source + " is not a valid list of Mesos volumes: " + e.getMessage());
        }
        return holder.getVolumesList();
    }
}
