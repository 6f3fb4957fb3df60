package org.unicon.cli.internal;

import org.unicon.model.Image;
import org.unicon.model.Label;
import org.unicon.model.Labels;

/** Turns the CLI's image flags into Mesos {@code Image}s. */
final class ImageFlag {
    private ImageFlag() {}

    static Image docker(String name) {
        if (name.isBlank()) {
            throw CliException.usage("--docker_image is empty: name an image such as busybox or library/busybox:latest");
        }
        return Image.newBuilder().setType(Image.Type.DOCKER)
                .setDocker(Image.Docker.newBuilder().setName(name.strip())).build();
    }

    /**
     * {@code NAME[,label=value...]}, with mesos-execute's default labels os=linux and arch=amd64
     * unless the flag sets them.
     */
    static Image appc(String flag) {
        String[] parts = flag.split(",");
        if (parts[0].isBlank()) {
            throw CliException.usage("--appc_image has no name: write NAME[,label=value...]");
        }
        Labels.Builder labels = Labels.newBuilder();
        boolean os = false;
        boolean arch = false;
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq <= 0) {
                throw CliException.usage("--appc_image label '" + parts[i] + "' is not label=value");
            }
            String key = parts[i].substring(0, eq).strip();
            os |= key.equals("os");
            arch |= key.equals("arch");
            labels.addLabels(Label.newBuilder().setKey(key).setValue(parts[i].substring(eq + 1).strip()));
        }
        if (!os) {
            labels.addLabels(Label.newBuilder().setKey("os").setValue("linux"));
        }
        if (!arch) {
            labels.addLabels(Label.newBuilder().setKey("arch").setValue("amd64"));
        }
        return Image.newBuilder().setType(Image.Type.APPC)
                .setAppc(Image.Appc.newBuilder().setName(parts[0].strip()).setLabels(labels)).build();
    }
}
