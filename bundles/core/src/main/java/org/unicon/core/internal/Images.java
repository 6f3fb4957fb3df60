package org.unicon.core.internal;

import org.unicon.model.Image;

/** How images are named in messages. */
final class Images {
    private Images() {}

    static String describe(Image image) {
        return switch (image.getType()) {
            case DOCKER -> "docker image '" + image.getDocker().getName() + "'";
            case APPC -> "appc image '" + image.getAppc().getName() + "'";
        };
    }

    /** The short name `ps` shows. */
    static String name(Image image) {
        return image.getType() == Image.Type.DOCKER ? image.getDocker().getName() : image.getAppc().getName();
    }
}
