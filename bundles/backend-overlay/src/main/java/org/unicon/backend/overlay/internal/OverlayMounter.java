package org.unicon.backend.overlay.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * One way to mount an overlay. The classic mount(2) option string is cut at one page (4096
 * bytes), far below what 500 store paths need; each implementation gets around that its own way.
 */
interface OverlayMounter {

    /**
     * Mounts {@code layers} (base first) as the lowerdirs of an overlay on {@code target}, with
     * {@code upper} and {@code work} (empty directories on one filesystem). On failure nothing is
     * mounted and the exception carries the kernel's reason where it gave one.
     */
    void mount(List<Path> layers, Path upper, Path work, Path target) throws IOException;
}
