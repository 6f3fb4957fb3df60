package org.unicon.launcher.linux.internal;

import java.nio.file.Path;

/** The launcher contract with runc. */
class RuncLauncherTest extends LauncherContract {

    @Override
    RuntimeCli runtime(Path state) {
        return RuntimeChoice.runc("", state);
    }
}
