package org.unicon.itests.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@code bin/unicon} as a user does, against one agent. */
final class Cli {

    record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout:\n" + out + "--- stderr:\n" + err;
        }
    }

    private final String agent;
    private final Path scratch;

    /** @param agent HOST:PORT, passed as UNICON_AGENT */
    Cli(String agent, Path scratch) {
        this.agent = agent;
        this.scratch = scratch;
    }

    /** A command still running, started by {@link #start}. */
    final class Running {
        private final Process process;
        private final Path out;
        private final Path err;

        private Running(Process process, Path out, Path err) {
            this.process = process;
            this.out = out;
            this.err = err;
        }

        Process process() {
            return process;
        }

        Result finish() throws IOException, InterruptedException {
            return Cli.this.finish(process, out, err);
        }
    }

    Result run(String... args) throws IOException, InterruptedException {
        return start(args).finish();
    }

    Running start(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Repository.unicon().toString());
        command.addAll(List.of(args));
        Path out = Files.createTempFile(scratch, "cli", ".out");
        Path err = Files.createTempFile(scratch, "cli", ".err");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        builder.environment().put("UNICON_AGENT", agent);
        builder.environment().put("UNICON_BUILD", "never");
        return new Running(builder.start(), out, err);
    }

    private Result finish(Process process, Path out, Path err) throws IOException, InterruptedException {
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("bin/unicon " + process.info().commandLine().orElse("") + " did not end within 120 s");
        }
        Result result = new Result(process.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return result;
    }
}
