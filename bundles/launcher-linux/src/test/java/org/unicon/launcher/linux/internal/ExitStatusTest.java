package org.unicon.launcher.linux.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.OptionalInt;

import org.junit.jupiter.api.Test;

/** conmon's exit codes to raw wait(2) statuses. */
class ExitStatusTest {

    @Test
    void exitCodesShiftAndSignalCodesBecomeTheSignal() {
        assertEquals(0, ExitWatcher.waitStatus(OptionalInt.of(0)));
        assertEquals(3 << 8, ExitWatcher.waitStatus(OptionalInt.of(3)));
        assertEquals(128 << 8, ExitWatcher.waitStatus(OptionalInt.of(128)));
        assertEquals(15, ExitWatcher.waitStatus(OptionalInt.of(143)));
        assertEquals(9, ExitWatcher.waitStatus(OptionalInt.of(137)));
        assertEquals(64, ExitWatcher.waitStatus(OptionalInt.of(192)));
        assertEquals(255 << 8, ExitWatcher.waitStatus(OptionalInt.of(255)));
    }

    @Test
    void noRecordedCodeIsSigkill() {
        assertEquals(9, ExitWatcher.waitStatus(OptionalInt.empty()));
        assertEquals(9, ExitWatcher.waitStatus(OptionalInt.of(-1)));
    }
}
