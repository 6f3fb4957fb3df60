package org.unicon.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.unicon.containerizer.ContainerizerException;
import org.unicon.model.ContainerID;

class ContainerIdsTest {
    private static ContainerID id(String value) {
        return ContainerID.newBuilder().setValue(value).build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"c1", "my-standalone-container-id", "A_b-9", "0"})
    void acceptsMesosIds(String value) throws Exception {
        assertEquals(value, ContainerIds.validate(id(value)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../x", "a/b", "a\\b", ".", "..", "a.b", "a b", "tab\there", "nl\n", ""})
    void refusesIdsThatAreNotSafeDirectoryNames(String value) {
        ContainerizerException e = assertThrows(ContainerizerException.class, () -> ContainerIds.validate(id(value)));
        assertEquals(ContainerizerException.Kind.INVALID, e.kind());
    }

    @Test
    void refusesTooLongIdsAndSaysTheLimit() {
        ContainerizerException e = assertThrows(ContainerizerException.class,
                () -> ContainerIds.validate(id("x".repeat(243))));
        assertTrue(e.getMessage().contains("242"), e.getMessage());
    }

    @Test
    void refusesNestedContainers() {
        ContainerID nested = ContainerID.newBuilder().setValue("child").setParent(id("parent")).build();
        ContainerizerException e = assertThrows(ContainerizerException.class, () -> ContainerIds.validate(nested));
        assertTrue(e.getMessage().contains("nested containers are not supported"), e.getMessage());
    }
}
