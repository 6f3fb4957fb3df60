package org.unicon.agent.http.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

import org.unicon.agent.http.internal.ApiCodec.Encoding;
import org.unicon.containerizer.Containerizer;
import org.unicon.containerizer.ContainerizerException;
import org.unicon.model.Image;
import org.unicon.model.ImageSummary;
import org.unicon.model.agent.Response;
import org.unicon.store.PullProgress;

/**
 * PULL_IMAGE: one answer when the image is stored, or (RecordIO) a progress record per layer
 * event and a final record with the image or the error.
 */
final class ImagePull {
    private final Containerizer containerizer;
    private final Image image;
    private final Encoding encoding;

    ImagePull(Containerizer containerizer, Image image, Encoding encoding) {
        this.containerizer = containerizer;
        this.image = image;
        this.encoding = encoding;
    }

    ApiResponse answer(boolean streamed) throws ContainerizerException {
        if (!streamed) {
            ImageSummary summary = containerizer.pull(image, PullProgress.none());
            return AgentApi.ok(response(Response.PullImage.newBuilder().setImage(summary)), encoding);
        }
        return ApiResponse.streamed(RecordIo.MEDIA_TYPE, this::stream);
    }

    private void stream(OutputStream out) throws IOException {
        Response.PullImage.Builder last = Response.PullImage.newBuilder();
        try {
            last.setImage(containerizer.pull(image, new Records(out)));
        } catch (ContainerizerException e) {
            last.setError(e.getMessage());
        } catch (UncheckedIOException e) {
            throw e.getCause();  // the client went away
        }
        RecordIo.write(out, ApiCodec.print(response(last), encoding));
    }

    private Response response(Response.PullImage.Builder pull) {
        return Response.newBuilder().setType(Response.Type.PULL_IMAGE).setPullImage(pull).build();
    }

    /** Writes each event as a record; the store may call from several threads. */
    private final class Records implements PullProgress {
        private final OutputStream out;

        Records(OutputStream out) {
            this.out = out;
        }

        @Override
        public void layer(String digest, long size, boolean cached) {
            write(Response.PullImage.newBuilder().setLayer(digest).setLayerSize(size).setLayerCached(cached));
        }

        @Override
        public void progress(String digest, long bytes) {
            write(Response.PullImage.newBuilder().setLayer(digest).setLayerFetched(bytes));
        }

        @Override
        public void done(String digest) {
            write(Response.PullImage.newBuilder().setLayer(digest).setLayerDone(true));
        }

        private synchronized void write(Response.PullImage.Builder event) {
            try {
                RecordIo.write(out, ApiCodec.print(response(event), encoding));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

}
