package io.scopekv.bench.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ctrl-C (SIGINT, here SIGTERM: the JVM runs its shutdown hooks for both) in the middle of writing results. */
class InterruptedRunTest {
    @TempDir
    Path dir;

    /** Writes a partial result and an atomic file that never complete, then waits to be killed. */
    public static void main(String[] args) throws Exception {
        Path target = Path.of(args[0]);
        OutputDirectory out = OutputDirectory.open(target, true);
        Files.writeString(out.staging().resolve("kept.jsonl"), "cut off");
        AtomicFile.write(target.resolveSibling("checkpoint.bin"), file -> {
            Files.writeString(file, "half a checkpoint");
            System.out.println("writing");
            System.out.flush();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    @Test
    void anInterruptedRunLeavesThePreviousResultsAndNoPartialFiles() throws Exception {
        Path target = Files.createDirectories(dir.resolve("run"));
        Files.writeString(target.resolve("summary.json"), "previous run");
        Files.writeString(dir.resolve("checkpoint.bin"), "previous checkpoint");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                InterruptedRunTest.class.getName(), target.toString()).redirectErrorStream(true).start();
        try {
            // wait until the child is inside the write, then interrupt it
            String line = new String(child.getInputStream().readNBytes(8));
            assertThat(line).isEqualTo("writing\n");
            try (Stream<Path> files = Files.list(dir)) {
                assertThat(files.count()).as("staging directory and partial file exist while writing").isEqualTo(4);
            }
            child.destroy();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList())
                    .containsExactlyInAnyOrderElementsOf(List.of("run", "checkpoint.bin"));
        }
        assertThat(target.resolve("summary.json")).hasContent("previous run");
        assertThat(dir.resolve("checkpoint.bin")).hasContent("previous checkpoint");
    }
}
