package org.unicon.launcher.linux.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The monitor record a restarted agent reattaches with, in the current and the earlier format. */
class MonitorRecordTest {

    @TempDir
    Path dir;

    @Test
    void theRuntimeThatCreatedAndTheBinaryThatControlsAContainerAreRecorded() throws Exception {
        RuntimeCli crun = new RuntimeCli("crun", dir.resolve("crun-hybrid"), dir.resolve("crun"), Path.of("/usr/bin/crun"));
        new MonitorRecord(crun, 41, 7, 42).write(dir);
        assertEquals(Optional.of(new MonitorRecord(crun, 41, 7, 42)), MonitorRecord.read("c1", dir));
    }

    @Test
    void aRecordWithoutAControlBinaryIsControlledThroughItsRuntimePath() throws Exception {
        // As written before the control binary was recorded: every command went through runtime_path.
        Files.writeString(dir.resolve(MonitorRecord.FILE), "{\"runtime\":\"crun\",\"runtime_path\":\"/state/crun-hybrid\","
                + "\"runtime_root\":\"/state/crun\",\"conmon_pid\":41,\"conmon_start_time\":7,\"container_pid\":42}");
        RuntimeCli runtime = MonitorRecord.read("c1", dir).orElseThrow().runtime();
        assertEquals(Path.of("/state/crun-hybrid"), runtime.executable());
        assertEquals(Path.of("/state/crun-hybrid"), runtime.control());
    }
}
