package org.unicon.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicon.model.ContainerID;

class CheckpointStoreTest {
    @TempDir
    Path dir;

    @Test
    void writesAndReadsBack() throws Exception {
        CheckpointStore store = new CheckpointStore();
        Path file = dir.resolve("a/b/config");
        ContainerID id = ContainerID.newBuilder().setValue("c1").build();
        store.write(file, id);
        assertEquals(id, store.read(file, ContainerID.parser()).orElseThrow());
        assertFalse(Files.exists(CheckpointStore.tempFor(file)), "no temp file is left");
    }

    @Test
    void aMissingCheckpointIsEmpty() throws Exception {
        assertTrue(new CheckpointStore().read(dir.resolve("none"), ContainerID.parser()).isEmpty());
    }

    /**
     * A crash between writing the new bytes and renaming them over the checkpoint cannot be
     * caused for real in a unit test; a store whose rename fails stands in for it.
     */
    @Test
    void aCrashBeforeTheRenameLeavesTheOldState() throws Exception {
        Path file = dir.resolve("pid");
        new CheckpointStore().writeText(file, "100");
        CheckpointStore crashing = new CheckpointStore() {
            @Override
            void rename(Path temp, Path target) throws IOException {
                throw new IOException("simulated crash before rename");
            }
        };
        assertThrows(IOException.class, () -> crashing.writeText(file, "200"));
        assertEquals("100", new CheckpointStore().readText(file).orElseThrow());
        // What a later write does with the half-written temp file: it replaces it.
        new CheckpointStore().writeText(file, "300");
        assertEquals("300", new CheckpointStore().readText(file).orElseThrow());
        assertFalse(Files.exists(CheckpointStore.tempFor(file)));
    }

    @Test
    void aCorruptCheckpointIsAnErrorNamingTheFile() throws Exception {
        Path file = dir.resolve("config");
        Files.write(file, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff});
        IOException e = assertThrows(IOException.class,
                () -> new CheckpointStore().read(file, ContainerID.parser()));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }

    @Test
    void rawBytesRoundTrip() throws Exception {
        Path file = dir.resolve("state");
        new CheckpointStore().write(file, new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(file));
    }
}
