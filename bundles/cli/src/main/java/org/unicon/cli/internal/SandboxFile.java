package org.unicon.cli.internal;

import java.io.IOException;
import java.io.OutputStream;

import org.unicon.model.agent.Call;

/**
 * Follows one file of a container's sandbox ({@code stdout} or {@code stderr}) over READ_FILE,
 * copying the bytes that appeared since the last call to a local stream. A file the agent does
 * not have (yet) reads as empty.
 */
final class SandboxFile {

    /** The most the agent returns per READ_FILE. */
    static final int CHUNK = 65536;

    private final AgentClient client;
    private final String path;
    private final OutputStream sink;
    private long offset;

    SandboxFile(AgentClient client, String containerId, String name, OutputStream sink) {
        this.client = client;
        this.path = "/containers/" + containerId + "/" + name;
        this.sink = sink;
    }

    /** Copies what is new; returns whether there was anything. */
    boolean copyNewBytes() {
        Call call = Call.newBuilder()
                .setType(Call.Type.READ_FILE)
                .setReadFile(Call.ReadFile.newBuilder().setPath(path).setOffset(offset).setLength(CHUNK))
                .build();
        AgentClient.Answer answer = client.send(call);
        if (answer.status() == 404) {
            return false;
        }
        if (!answer.ok()) {
            throw client.refused(answer);
        }
        byte[] data = answer.response().getReadFile().getData().toByteArray();
        if (data.length == 0) {
            return false;
        }
        try {
            sink.write(data);
            sink.flush();
        } catch (IOException e) {
            throw new CliException(CliException.USAGE, "cannot write the container's " + path + ": " + e.getMessage());
        }
        offset += data.length;
        return true;
    }

    /** Copies until the file has nothing more. */
    void drain() {
        boolean more = true;
        while (more) {
            more = copyNewBytes();
        }
    }
}
