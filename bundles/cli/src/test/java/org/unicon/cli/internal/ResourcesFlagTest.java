package org.unicon.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.unicon.model.Resource;
import org.unicon.model.Value;

class ResourcesFlagTest {

    @Test
    void parsesScalarsAsMesosExecuteDoes() {
        List<Resource> resources = ResourcesFlag.parse("cpus:0.5;mem:64");
        assertEquals(2, resources.size());
        assertEquals("cpus", resources.get(0).getName());
        assertEquals(Value.Type.SCALAR, resources.get(0).getType());
        assertEquals(0.5, resources.get(0).getScalar().getValue());
        assertEquals("mem", resources.get(1).getName());
        assertEquals(64.0, resources.get(1).getScalar().getValue());
    }

    @Test
    void parsesRangesAndSets() {
        List<Resource> resources = ResourcesFlag.parse(" ports:[31000-31005, 31010-31010] ; zones:{a,b};");
        Resource ports = resources.get(0);
        assertEquals(Value.Type.RANGES, ports.getType());
        assertEquals(31005, ports.getRanges().getRange(0).getEnd());
        assertEquals(31010, ports.getRanges().getRange(1).getBegin());
        assertEquals(List.of("a", "b"), resources.get(1).getSet().getItemList());
    }

    @Test
    void aBadPartIsNamedInTheError() {
        CliException e = assertThrows(CliException.class, () -> ResourcesFlag.parse("cpus:0.5;mem64"));
        assertTrue(e.getMessage().contains("'mem64' is not name:value"), e.getMessage());
        assertEquals(CliException.USAGE, e.exitCode());

        e = assertThrows(CliException.class, () -> ResourcesFlag.parse("cpus:lots"));
        assertTrue(e.getMessage().contains("'cpus:lots'") && e.getMessage().contains("not a number"), e.getMessage());

        e = assertThrows(CliException.class, () -> ResourcesFlag.parse("cpus:-1"));
        assertTrue(e.getMessage().contains(">= 0"), e.getMessage());

        e = assertThrows(CliException.class, () -> ResourcesFlag.parse("ports:[9-1]"));
        assertTrue(e.getMessage().contains("begins after it ends"), e.getMessage());

        e = assertThrows(CliException.class, () -> ResourcesFlag.parse("cpus(web):1"));
        assertTrue(e.getMessage().contains("'cpus(web):1' names a role"), e.getMessage());

        e = assertThrows(CliException.class, () -> ResourcesFlag.parse("cpus:1;cpus:2"));
        assertTrue(e.getMessage().contains("second time"), e.getMessage());
    }
}
