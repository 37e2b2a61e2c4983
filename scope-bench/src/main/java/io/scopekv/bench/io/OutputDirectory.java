package io.scopekv.bench.io;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A results directory that appears whole or not at all, so that it holds one complete run or the
 * previous one and never a mix or a fragment.
 *
 * <p>{@link #open} checks the target before any work is done, refusing a target that is not a
 * directory, cannot be created, or already holds files (unless {@code replace}), and creates a
 * hidden staging sibling {@code .NAME.partial-PID-RANDOM} in the same parent, so that moving it
 * into place is a rename on one file system. The command writes into {@link #staging()}, then
 * {@link #commit()} renames the staging directory to the target; a replaced target is moved aside
 * first and deleted once the new one is in place. {@link #close()} without a commit (a failure),
 * or a shutdown hook on Ctrl-C, deletes the staging directory; a staging directory left by a
 * process killed outright is deleted by the next run into the same target, and a previous run
 * that such a process had moved aside ({@code .NAME.previous-PID-RANDOM}) is put back.
 *
 * <pre>{@code
 * try (OutputDirectory out = OutputDirectory.open(dir, force)) {
 *     write(out.staging());
 *     out.commit();
 * }
 * }</pre>
 */
public final class OutputDirectory implements AutoCloseable {
    private final Path target;
    private final Path staging;
    private final boolean replace;
    private final PartialPaths.Cleanup cleanup;
    private boolean committed;
    private boolean closed;

    private OutputDirectory(Path target, Path staging, boolean replace) {
        this.target = target;
        this.staging = staging;
        this.replace = replace;
        this.cleanup = new PartialPaths.Cleanup(staging, this);
    }

    /**
     * Checks {@code target} and creates its staging directory (and the target's missing parents).
     *
     * @param replace whether an existing, non-empty target may be replaced on {@link #commit()}
     * @throws IOException naming the path and the reason when the target cannot take the results
     */
    public static OutputDirectory open(Path target, boolean replace) throws IOException {
        check(target, replace);
        Path absolute = target.toAbsolutePath().normalize();
        try {
            Files.createDirectories(absolute.getParent());
        } catch (IOException e) {
            throw PartialPaths.explain("create", target, e);
        }
        Path staging = PartialPaths.sibling(absolute);
        try {
            Files.createDirectory(staging);
        } catch (IOException e) {
            throw PartialPaths.explain("create", target, e);
        }
        return new OutputDirectory(target, staging, replace);
    }

    /**
     * Checks, without creating anything, that {@code target} can take a run's results, after
     * tidying what killed runs left beside it (a previous run they had moved aside is put back).
     *
     * @throws IOException naming the path and the reason when it cannot
     */
    public static void check(Path target, boolean replace) throws IOException {
        PartialPaths.checkCreatable(target, true);
        PartialPaths.deleteStale(target.toAbsolutePath().normalize());
        if (!replace && holdsFiles(target)) {
            throw new IOException(target + " already holds results; pass --force to replace them, or choose another "
                    + "output directory");
        }
    }

    private static boolean holdsFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            return entries.iterator().hasNext();
        } catch (IOException e) {
            throw PartialPaths.explain("list", dir, e);
        }
    }

    /** The directory to write into until {@link #commit()}. */
    public Path staging() {
        return staging;
    }

    /** Where the results go on {@link #commit()}. */
    public Path target() {
        return target;
    }

    /**
     * Moves the staging directory into place, replacing the target if it was allowed to.
     *
     * @return the target
     * @throws IOException when the move fails (the previous target is then put back) or another
     *                     process has filled the target meanwhile
     * @throws IllegalStateException after a commit, close or shutdown
     */
    public synchronized Path commit() throws IOException {
        if (committed || closed || cleanup.ran()) {
            throw new IllegalStateException("results for " + target + " were already " + (committed ? "committed"
                    : "discarded"));
        }
        Path absolute = target.toAbsolutePath().normalize();
        Path previous = null;
        if (Files.exists(absolute)) {
            if (!replace && holdsFiles(absolute)) {
                throw new IOException(target + " was filled by another run meanwhile; the results stay in " + staging);
            }
            previous = PartialPaths.previousSibling(absolute);
            try {
                Files.move(absolute, previous, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw PartialPaths.explain("move aside", target, e);
            }
        }
        try {
            Files.move(staging, absolute, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            if (previous != null) {
                Files.move(previous, absolute, StandardCopyOption.ATOMIC_MOVE);
            }
            throw PartialPaths.explain("move results into", target, e);
        }
        committed = true;
        cleanup.cancel();
        if (previous != null) {
            PartialPaths.deleteTree(previous);
        }
        return target;
    }

    /** Deletes the staging directory unless committed; idempotent. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (!committed && !cleanup.ran()) {
            cleanup.cancel();
            PartialPaths.deleteTree(staging);
        }
    }
}
