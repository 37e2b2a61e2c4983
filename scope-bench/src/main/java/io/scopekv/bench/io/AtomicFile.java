package io.scopekv.bench.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Replaces one file as a whole: the content is written to a hidden sibling
 * {@code .NAME.partial-PID-RANDOM} and renamed over the target, so a reader (or a resumed run)
 * sees the old file or the new one, never a cut-off one. The sibling is deleted on failure and,
 * through a shutdown hook, on Ctrl-C. For files that are rewritten during a run, such as the
 * trainer's checkpoint; a run's whole results go through {@link OutputDirectory}.
 */
public final class AtomicFile {

    /** Writes a file's content to the path it is given. */
    @FunctionalInterface
    public interface Writer {
        void write(Path file) throws IOException;
    }

    private AtomicFile() {
    }

    /**
     * Writes {@code target} through {@code writer}, replacing any previous file.
     *
     * @throws IOException naming the target and the reason when it cannot be written
     */
    public static void write(Path target, Writer writer) throws IOException {
        PartialPaths.checkCreatable(target, false);
        Path absolute = target.toAbsolutePath().normalize();
        Path partial = PartialPaths.sibling(absolute);
        Object lock = new Object();
        PartialPaths.Cleanup cleanup = new PartialPaths.Cleanup(partial, lock);
        boolean moved = false;
        try {
            writer.write(partial);
            synchronized (lock) {
                if (cleanup.ran()) {
                    throw new IOException("shutting down before " + target + " was complete");
                }
                try {
                    Files.move(partial, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException e) {
                    throw PartialPaths.explain("replace", target, e);
                }
                moved = true;
                cleanup.cancel();
            }
        } finally {
            if (!moved) {
                synchronized (lock) {
                    cleanup.cancel();
                    Files.deleteIfExists(partial);
                }
            }
        }
    }

    /** Writes {@code text} as UTF-8 to {@code target}, replacing any previous file. */
    public static void writeString(Path target, CharSequence text) throws IOException {
        write(target, file -> Files.writeString(file, text, java.nio.charset.StandardCharsets.UTF_8));
    }
}
