package org.unicon.store.docker.internal;

import java.util.ArrayList;
import java.util.List;

import com.google.gson.JsonObject;
import org.unicon.layers.Digest;
import org.unicon.model.ImageRuntimeConfig;

/**
 * The parts of an image config (Docker image spec v1 / OCI config) the store uses: the
 * uncompressed layer digests ({@code rootfs.diff_ids}) that every layer is verified against,
 * and how to run the image. The runtime fields are untrusted text passed on as they are; the
 * runtime isolator decides what to do with them.
 */
record ImageConfig(List<Digest> diffIds, ImageRuntimeConfig runtime) {

    static ImageConfig parse(byte[] bytes, String what) throws PullException {
        JsonObject o = Json.object(bytes, what);
        JsonObject rootfs = Json.objectMember(o, "rootfs", what);
        List<String> ids = rootfs == null ? null : Json.strings(rootfs, "diff_ids", what);
        if (ids == null) {
            throw new PullException(what + " has no rootfs.diff_ids");
        }
        List<Digest> diffIds = new ArrayList<>();
        for (String id : ids) {
            try {
                diffIds.add(Digest.parse(id));
            } catch (IllegalArgumentException e) {
                throw new PullException(what + ": invalid diff_id '" + Descriptor.printable(id) + "'");
            }
        }
        return new ImageConfig(List.copyOf(diffIds), runtime(Json.objectMember(o, "config", what), what));
    }

    /** The runtime config from a Docker/OCI {@code config} object (also used for legacy v1 layer JSON). */
    static ImageRuntimeConfig runtime(JsonObject config, String what) throws PullException {
        ImageRuntimeConfig.Builder b = ImageRuntimeConfig.newBuilder();
        if (config == null) {
            return b.build();
        }
        List<String> entrypoint = Json.strings(config, "Entrypoint", what);
        List<String> cmd = Json.strings(config, "Cmd", what);
        List<String> env = Json.strings(config, "Env", what);
        if (entrypoint != null) {
            b.addAllEntrypoint(entrypoint);
        }
        if (cmd != null) {
            b.addAllCmd(cmd);
        }
        if (env != null) {
            b.addAllEnv(env);
        }
        String workingDir = Json.string(config, "WorkingDir", what);
        if (workingDir != null && !workingDir.isEmpty()) {
            b.setWorkingDir(workingDir);
        }
        String user = Json.string(config, "User", what);
        if (user != null && !user.isEmpty()) {
            b.setUser(user);
        }
        return b.build();
    }
}
