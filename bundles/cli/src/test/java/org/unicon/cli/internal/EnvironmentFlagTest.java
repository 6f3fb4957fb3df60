package org.unicon.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicon.model.Environment;

class EnvironmentFlagTest {

    @Test
    void parsesAJsonObjectOfStrings() {
        Environment env = EnvironmentFlag.parse("{\"GREETING\":\"hello world\",\"EMPTY\":\"\"}");
        assertEquals(2, env.getVariablesCount());
        assertEquals("GREETING", env.getVariables(0).getName());
        assertEquals("hello world", env.getVariables(0).getValue());
        assertEquals("", env.getVariables(1).getValue());
    }

    @Test
    void readsAFileGivenByPathOrUri(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("env.json"), "{\"A\":\"1\"}");
        assertEquals("1", EnvironmentFlag.parse(file.toString()).getVariables(0).getValue());
        assertEquals("1", EnvironmentFlag.parse("file://" + file).getVariables(0).getValue());
    }

    @Test
    void rejectsWhatIsNotAnObjectOfStrings(@TempDir Path dir) {
        CliException e = assertThrows(CliException.class, () -> EnvironmentFlag.parse("{\"A\":"));
        assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
        e = assertThrows(CliException.class, () -> EnvironmentFlag.parse("[\"A\"]"));
        assertTrue(e.getMessage().contains("must be a JSON object"), e.getMessage());
        e = assertThrows(CliException.class, () -> EnvironmentFlag.parse("{\"A\":1}"));
        assertTrue(e.getMessage().contains("value of A must be a string"), e.getMessage());
        e = assertThrows(CliException.class, () -> EnvironmentFlag.parse(dir.resolve("missing.json").toString()));
        assertTrue(e.getMessage().contains("cannot read the --env file"), e.getMessage());
    }
}
