package io.scopekv.bench.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Naming, checking and deleting the hidden siblings that {@link OutputDirectory} and
 * {@link AtomicFile} write into. A sibling's name carries the writing process's id, so a later
 * run can tell the leftovers of a killed process (which no shutdown hook could delete) from a
 * sibling another process is still writing.
 */
final class PartialPaths {
    private static final String MARK = ".partial-";
    /** Marks a previous run moved aside while its replacement is moved in: never deleted unless replaced. */
    private static final String PREVIOUS = ".previous-";

    private PartialPaths() {
    }

    /** A fresh hidden sibling of {@code target} to write into: {@code .NAME.partial-PID-RANDOM}. */
    static Path sibling(Path target) {
        return sibling(target, MARK, ProcessHandle.current().pid());
    }

    /** A fresh hidden sibling of {@code target} to hold it while it is replaced: {@code .NAME.previous-PID-RANDOM}. */
    static Path previousSibling(Path target) {
        return sibling(target, PREVIOUS, ProcessHandle.current().pid());
    }

    static Path sibling(Path target, String mark, long pid) {
        return target.resolveSibling("." + target.getFileName() + mark + pid + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16));
    }

    /**
     * Tidies the siblings of {@code target} left by processes that no longer run: partial ones are
     * deleted; a previous run moved aside by a process killed before its replacement arrived is
     * put back when the target is absent (so it is never lost), and deleted only when a complete
     * replacement is in place.
     */
    static void deleteStale(Path target) {
        Path parent = target.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            return;
        }
        String name = "." + target.getFileName();
        try (DirectoryStream<Path> siblings = Files.newDirectoryStream(parent, p -> p.getFileName().toString().startsWith(name))) {
            for (Path p : siblings) {
                String rest = p.getFileName().toString().substring(name.length());
                boolean previous = rest.startsWith(PREVIOUS);
                if (!previous && !rest.startsWith(MARK)) {
                    continue;
                }
                rest = rest.substring(previous ? PREVIOUS.length() : MARK.length());
                int dash = rest.indexOf('-');
                try {
                    long pid = Long.parseLong(dash < 0 ? rest : rest.substring(0, dash));
                    if (ProcessHandle.of(pid).isPresent()) {
                        continue;
                    }
                    if (previous && !Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                        Files.move(p, target, StandardCopyOption.ATOMIC_MOVE);
                    } else {
                        deleteTree(p);
                    }
                } catch (NumberFormatException | IOException e) {
                    // not ours or not movable: leave it
                }
            }
        } catch (IOException e) {
            // listing is a courtesy; the run itself does not depend on it
        }
    }

    /**
     * Checks that {@code target} could be created: its nearest existing ancestor is a writable
     * directory, and the target itself is absent or of the expected kind.
     *
     * @throws IOException naming the path and the reason
     */
    static void checkCreatable(Path target, boolean directory) throws IOException {
        Path absolute = target.toAbsolutePath().normalize();
        if (Files.exists(absolute, LinkOption.NOFOLLOW_LINKS) || Files.exists(absolute)) {
            if (directory && !Files.isDirectory(absolute)) {
                throw new IOException(target + " exists and is not a directory");
            }
            if (!directory && Files.isDirectory(absolute)) {
                throw new IOException(target + " is a directory, not a file");
            }
        }
        Path ancestor = absolute.getParent();
        while (ancestor != null && !Files.exists(ancestor)) {
            ancestor = ancestor.getParent();
        }
        if (ancestor == null) {
            throw new IOException("cannot create " + target + ": no existing parent directory");
        }
        if (!Files.isDirectory(ancestor)) {
            throw new IOException("cannot create " + target + ": " + ancestor + " is not a directory");
        }
        if (!Files.isWritable(ancestor)) {
            throw new IOException("cannot create " + target + ": " + ancestor + " is not writable");
        }
    }

    /** An I/O failure as one line naming {@code path} and the reason. */
    static IOException explain(String action, Path path, IOException e) {
        String reason;
        if (e instanceof AccessDeniedException) {
            reason = "permission denied";
        } else if (e instanceof NoSuchFileException) {
            reason = "no such file or directory";
        } else if (e instanceof NotDirectoryException) {
            reason = "a parent is not a directory";
        } else if (e instanceof FileSystemException f && f.getReason() != null) {
            reason = f.getReason();
        } else {
            reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        return new IOException("cannot " + action + " " + path + ": " + reason, e);
    }

    /** Deletes a file or a directory tree; absent is fine. */
    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            Files.deleteIfExists(root);
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** A shutdown hook that deletes {@code path} unless {@link #cancel()} ran first (Ctrl-C, SIGTERM). */
    static final class Cleanup {
        private final Thread hook;
        private boolean cancelled;
        private boolean ran;

        Cleanup(Path path, Object lock) {
            hook = new Thread(() -> {
                synchronized (lock) {
                    if (!cancelled) {
                        ran = true;
                        try {
                            deleteTree(path);
                        } catch (IOException e) {
                            // the JVM is going down; the next run's deleteStale removes the leftover
                        }
                    }
                }
            }, "delete " + path.getFileName());
            Runtime.getRuntime().addShutdownHook(hook);
        }

        /** True once the hook has run: the JVM is shutting down and the path is gone. Call under the lock. */
        boolean ran() {
            return ran;
        }

        /** Unregisters the hook. Call under the lock. */
        void cancel() {
            if (cancelled || ran) {
                return;
            }
            cancelled = true;
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutdown has begun; the hook will find itself cancelled
            }
        }
    }
}
