package org.unicon.agent.http.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import com.google.protobuf.ByteString;

import org.unicon.containerizer.Containerizer;
import org.unicon.model.ContainerID;
import org.unicon.model.agent.Call;
import org.unicon.model.agent.Response;

/**
 * READ_FILE over container sandboxes. A path is virtual: {@code /containers/<id>/<file>} names
 * {@code <file>} relative to the sandbox the containerizer reports for container {@code <id>}.
 *
 * <p>Nothing outside that sandbox is readable: {@code ..} segments and absolute file paths are
 * refused, and the file's real path (every symbolic link followed) must lie inside the sandbox's
 * real path. The last component is then opened without following links. What remains is the
 * window between that check and the open, in which a process of the container could swap an
 * intermediate directory for a link; closing it needs openat(2) per component, which Java lacks.
 */
final class SandboxFiles {

    /** The virtual directory under which every container's sandbox appears. */
    static final String PREFIX = "/containers/";

    /** The most bytes one READ_FILE returns, whatever length it asks for. */
    static final int MAX_LENGTH = 65536;

    private final Containerizer containerizer;

    SandboxFiles(Containerizer containerizer) {
        this.containerizer = containerizer;
    }

    Response.ReadFile read(Call.ReadFile request) throws ApiError {
        if (!request.hasPath() || request.getPath().isEmpty()) {
            throw new ApiError(400, "read_file.path is missing: use /containers/<container id>/<file>");
        }
        String path = request.getPath();
        if (!path.startsWith(PREFIX)) {
            throw new ApiError(404, "path '" + path
                    + "' does not exist: sandbox files are read as /containers/<container id>/<file>");
        }
        String rest = path.substring(PREFIX.length());
        int slash = rest.indexOf('/');
        String id = slash < 0 ? rest : rest.substring(0, slash);
        String file = slash < 0 ? "" : rest.substring(slash + 1);
        if (id.isEmpty()) {
            throw new ApiError(400, "path '" + path + "' names no container: use /containers/<container id>/<file>");
        }
        if (id.equals(".") || id.equals("..")) {
            throw new ApiError(400, "path '" + path + "' escapes the sandboxes ('" + id + "' is not a container)");
        }
        Path sandbox = containerizer.sandbox(ContainerID.newBuilder().setValue(id).build())
                .orElseThrow(() -> new ApiError(404, "container '" + id + "' is unknown"));
        try (FileChannel channel = open(sandbox, id, file, path)) {
            long size = channel.size();
            long offset = request.getOffset();
            long length = request.hasLength() && Long.compareUnsigned(request.getLength(), MAX_LENGTH) < 0
                    ? request.getLength() : MAX_LENGTH;
            ByteString data = Long.compareUnsigned(offset, size) >= 0
                    ? ByteString.EMPTY
                    : readAt(channel, offset, (int) Math.min(length, size - offset));
            return Response.ReadFile.newBuilder().setSize(size).setData(data).build();
        } catch (IOException e) {
            throw new ApiError(500, "cannot read '" + file + "' in the sandbox of container '" + id + "': " + e);
        }
    }

    /** Opens {@code file} inside the sandbox, or says why it may not be read. */
    private static FileChannel open(Path sandbox, String id, String file, String path) throws ApiError {
        if (file.isEmpty() || file.equals("/")) {
            throw new ApiError(400, "path '" + path + "' is the sandbox of container '" + id + "', not a file in it");
        }
        String escapes = "path '" + path + "' escapes the sandbox of container '" + id + "'";
        if (file.startsWith("/")) {
            throw new ApiError(400, escapes + " (the file path must be relative)");
        }
        for (String segment : file.split("/")) {
            if (segment.equals("..")) {
                throw new ApiError(400, escapes + " ('..' is not allowed)");
            }
        }
        Path root;
        Path real;
        try {
            root = sandbox.toRealPath();
            real = root.resolve(file).toRealPath();
        } catch (NoSuchFileException e) {
            throw new ApiError(404, "file '" + file + "' does not exist in the sandbox of container '" + id + "'");
        } catch (InvalidPathException e) {
            throw new ApiError(400, "path '" + path + "' is not a valid file path: " + e.getMessage());
        } catch (IOException e) {
            throw new ApiError(500, "cannot resolve '" + file + "' in the sandbox of container '" + id + "': " + e);
        }
        if (!real.startsWith(root)) {
            throw new ApiError(400, escapes + " (a symbolic link leads outside it)");
        }
        if (Files.isDirectory(real, LinkOption.NOFOLLOW_LINKS)) {
            throw new ApiError(400, "path '" + path + "' is a directory, not a file");
        }
        if (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
            throw new ApiError(400, "path '" + path + "' is not a regular file");
        }
        try {
            return FileChannel.open(real, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw new ApiError(404, "file '" + file + "' does not exist in the sandbox of container '" + id + "'");
        } catch (IOException e) {
            throw new ApiError(500, "cannot open '" + file + "' in the sandbox of container '" + id + "': " + e);
        }
    }

    private static ByteString readAt(FileChannel channel, long offset, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, offset + buffer.position()) < 0) {
                break;  // the file shrank while being read
            }
        }
        buffer.flip();
        return ByteString.copyFrom(buffer);
    }
}
