package io.scopekv.bench.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputDirectoryTest {
    @TempDir
    Path dir;

    private long entries(Path parent) throws IOException {
        try (Stream<Path> list = Files.list(parent)) {
            return list.count();
        }
    }

    @Test
    void resultsAppearOnlyOnCommit() throws IOException {
        Path target = dir.resolve("a").resolve("run");
        try (OutputDirectory out = OutputDirectory.open(target, false)) {
            Files.writeString(out.staging().resolve("x.txt"), "new");
            assertThat(target).doesNotExist();
            assertThat(out.staging().getParent()).isEqualTo(target.toAbsolutePath().getParent());
            assertThat(out.staging().getFileName().toString()).startsWith(".run.partial-" + ProcessHandle.current().pid());
            assertThat(out.commit()).isEqualTo(target);
        }
        assertThat(target.resolve("x.txt")).hasContent("new");
        assertThat(entries(target.getParent())).as("no staging left beside the target").isEqualTo(1);
    }

    @Test
    void aFailedRunLeavesThePreviousResultsAndNoPartialFiles() throws IOException {
        Path target = dir.resolve("run");
        Files.createDirectories(target);
        Files.writeString(target.resolve("summary.json"), "old");
        try (OutputDirectory out = OutputDirectory.open(target, true)) {
            Files.writeString(out.staging().resolve("kept.jsonl"), "cut off");
            // the run fails here: no commit
        }
        assertThat(target.resolve("summary.json")).hasContent("old");
        assertThat(target.resolve("kept.jsonl")).doesNotExist();
        assertThat(entries(dir)).isEqualTo(1);
    }

    @Test
    void replacingSwapsTheWholeDirectory() throws IOException {
        Path target = dir.resolve("run");
        Files.createDirectories(target);
        Files.writeString(target.resolve("old-only.txt"), "old");
        try (OutputDirectory out = OutputDirectory.open(target, true)) {
            Files.writeString(out.staging().resolve("new.txt"), "new");
            out.commit();
        }
        assertThat(target.resolve("new.txt")).hasContent("new");
        assertThat(target.resolve("old-only.txt")).as("no mix of two runs").doesNotExist();
        assertThat(entries(dir)).isEqualTo(1);
    }

    @Test
    void refusesToReplaceResultsUnlessAsked() throws IOException {
        Path target = dir.resolve("run");
        Files.createDirectories(target);
        Files.writeString(target.resolve("summary.json"), "old");
        assertThatThrownBy(() -> OutputDirectory.open(target, false)).isInstanceOf(IOException.class)
                .hasMessage(target + " already holds results; pass --force to replace them, or choose another output directory");
        assertThat(entries(dir)).as("nothing created").isEqualTo(1);
        Path empty = Files.createDirectories(dir.resolve("empty"));
        try (OutputDirectory out = OutputDirectory.open(empty, false)) {
            out.commit();
        }
        assertThat(empty).isEmptyDirectory();
    }

    @Test
    void badTargetsAreNamedWithTheReasonBeforeAnythingIsCreated() throws IOException {
        Path file = Files.writeString(dir.resolve("file"), "x");
        assertThatThrownBy(() -> OutputDirectory.open(file, true)).hasMessage(file + " exists and is not a directory");
        assertThatThrownBy(() -> OutputDirectory.open(file.resolve("mini"), true))
                .hasMessage("cannot create " + file.resolve("mini") + ": " + file.toAbsolutePath() + " is not a directory");
        assertThatThrownBy(() -> OutputDirectory.open(Path.of("/proc/scope-kv-test"), true))
                .isInstanceOf(IOException.class).hasMessageStartingWith("cannot create").hasMessageContaining("/proc");
        assertThat(entries(dir)).isEqualTo(1);
    }

    @Test
    void stagingOfAProcessThatIsGoneIsDeletedByTheNextRun() throws IOException {
        Path target = dir.resolve("run");
        // pid 2^22 + 1 is above Linux's pid_max, so no process has it
        Path stale = Files.createDirectories(dir.resolve(".run.partial-4194305-ab"));
        Files.writeString(stale.resolve("kept.jsonl"), "cut off");
        Path live = Files.createDirectories(dir.resolve(".run.partial-" + ProcessHandle.current().pid() + "-cd"));
        try (OutputDirectory out = OutputDirectory.open(target, false)) {
            out.commit();
        }
        assertThat(stale).doesNotExist();
        assertThat(live).as("a running process's staging is left alone").exists();
    }

    @Test
    void commitIsOnceOnly() throws IOException {
        try (OutputDirectory out = OutputDirectory.open(dir.resolve("run"), false)) {
            out.commit();
            assertThatThrownBy(out::commit).isInstanceOf(IllegalStateException.class).hasMessageContaining("already committed");
        }
    }

    @Test
    void atomicFileReplacesWholeOrNotAtAll() throws IOException {
        Path file = dir.resolve("checkpoint.bin");
        AtomicFile.writeString(file, "one");
        assertThatThrownBy(() -> AtomicFile.write(file, f -> {
            Files.writeString(f, "half");
            throw new IOException("disk full");
        })).hasMessage("disk full");
        assertThat(file).hasContent("one");
        assertThat(entries(dir)).isEqualTo(1);
        AtomicFile.writeString(file, "two");
        assertThat(file).hasContent("two");
        assertThatThrownBy(() -> AtomicFile.writeString(dir, "x")).hasMessage(dir + " is a directory, not a file");
    }

    @Test
    void aPreviousRunMovedAsideByAKilledProcessIsPutBackNotDeleted() throws Exception {
        Process finished = new ProcessBuilder("true").start();
        finished.waitFor();
        long deadPid = finished.pid();
        Path target = dir.resolve("run");
        // killed between "move the old run aside" and "move the new run in": the target is absent
        Path previous = PartialPaths.sibling(target.toAbsolutePath(), ".previous-", deadPid);
        Files.createDirectories(previous);
        Files.writeString(previous.resolve("summary.json"), "old");
        Path staging = PartialPaths.sibling(target.toAbsolutePath(), ".partial-", deadPid);
        Files.createDirectories(staging);
        Files.writeString(staging.resolve("summary.json"), "new but complete? unknown");

        assertThatThrownBy(() -> OutputDirectory.check(target, false))
                .hasMessageContaining("already holds results").hasMessageContaining("--force");
        assertThat(target.resolve("summary.json")).hasContent("old");
        assertThat(previous).doesNotExist();
        assertThat(staging).as("a killed run's staging directory is deleted").doesNotExist();
    }

    @Test
    void aPreviousRunIsDeletedOnlyOnceItsReplacementIsInPlace() throws Exception {
        Process finished = new ProcessBuilder("true").start();
        finished.waitFor();
        Path target = dir.resolve("run");
        Files.createDirectories(target);
        Files.writeString(target.resolve("summary.json"), "new");
        // killed after the new run moved in, before the old one was deleted
        Path previous = PartialPaths.sibling(target.toAbsolutePath(), ".previous-", finished.pid());
        Files.createDirectories(previous);
        Files.writeString(previous.resolve("summary.json"), "old");

        OutputDirectory.check(target, true);

        assertThat(target.resolve("summary.json")).hasContent("new");
        assertThat(previous).doesNotExist();
    }
}
