package org.unicon.store.appc.internal;

import org.unicon.model.Image;
import org.unicon.model.Label;
import org.unicon.model.Labels;

/** Mesos {@code Image}s of type APPC for the tests. */
final class TestImages {
    private TestImages() {}

    /** An appc image with labels given as name, value pairs. */
    static Image appc(String name, String... labelPairs) {
        Labels.Builder labels = Labels.newBuilder();
        for (int i = 0; i < labelPairs.length; i += 2) {
            labels.addLabels(Label.newBuilder().setKey(labelPairs[i]).setValue(labelPairs[i + 1]));
        }
        return Image.newBuilder().setType(Image.Type.APPC)
                .setAppc(Image.Appc.newBuilder().setName(name).setLabels(labels)).build();
    }

    /** The same image pinned to an image ID. */
    static Image withId(Image image, String id) {
        return image.toBuilder().setAppc(image.getAppc().toBuilder().setId(id)).build();
    }
}
