package org.unicon.isolator.docker.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.unicon.model.Environment;

class ImageEnvironmentTest {

    @Test
    void splitsAtTheFirstEqualsSign() {
        assertEquals(List.of("A=1", "URL=http://x/?a=b&c=d", "EMPTY=", "PATH=/bin:/usr/bin"),
                pairs(ImageEnvironment.of(List.of("A=1", "URL=http://x/?a=b&c=d", "EMPTY=", "PATH=/bin:/usr/bin"),
                        skipped -> {})));
    }

    @Test
    void skipsEntriesWithoutANameOrAnEqualsSignAndSaysWhich() {
        List<String> skipped = new ArrayList<>();

        Environment environment = ImageEnvironment.of(List.of("NOEQUALS", "=value", "", "OK=yes"), skipped::add);

        assertEquals(List.of("OK=yes"), pairs(environment));
        assertEquals(List.of("NOEQUALS", "=value", ""), skipped);
    }

    @Test
    void keepsTheImagesOrderSoThatALaterDuplicateWins() {
        Environment environment = ImageEnvironment.of(List.of("X=first", "Y=y", "X=second"), skipped -> {});

        assertEquals(List.of("X=first", "Y=y", "X=second"), pairs(environment));
    }

    @Test
    void valuesArePlainValues() {
        Environment environment = ImageEnvironment.of(List.of("A=1"), skipped -> {});

        assertEquals(Environment.Variable.Type.VALUE, environment.getVariables(0).getType());
    }

    static List<String> pairs(Environment environment) {
        return environment.getVariablesList().stream().map(v -> v.getName() + "=" + v.getValue()).toList();
    }
}
