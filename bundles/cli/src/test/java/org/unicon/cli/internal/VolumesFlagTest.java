package org.unicon.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.unicon.model.Volume;

class VolumesFlagTest {
    @Test
    void readsMesosVolumesAsJson() {
        List<Volume> volumes = VolumesFlag.parse("[{\"container_path\":\"/data\",\"host_path\":\"/srv/data\","
                + "\"mode\":\"RO\"},{\"container_path\":\"cache\",\"mode\":\"RW\",\"source\":{\"type\":\"SANDBOX_PATH\","
                + "\"sandbox_path\":{\"type\":\"SELF\",\"path\":\"cache\"}}}]");
        assertEquals(2, volumes.size());
        assertEquals(Volume.Mode.RO, volumes.get(0).getMode());
        assertEquals("/srv/data", volumes.get(0).getHostPath());
        assertEquals(Volume.Source.Type.SANDBOX_PATH, volumes.get(1).getSource().getType());
    }

    @Test
    void badInputSaysWhatIsExpected() {
        assertTrue(assertThrows(CliException.class, () -> VolumesFlag.parse("{\"container_path\":\"/x\"}"))
                .getMessage().contains("must be a JSON array"));
        assertTrue(assertThrows(CliException.class, () -> VolumesFlag.parse("[{\"container_pth\":\"/x\"}]"))
                .getMessage().contains("not a valid list of Mesos volumes"));
    }
}
