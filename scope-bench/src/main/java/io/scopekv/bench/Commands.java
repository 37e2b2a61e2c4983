package io.scopekv.bench;

import io.scopekv.bench.io.OutputDirectory;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import org.nd4j.linalg.factory.Nd4j;

/** Shared error handling of the subcommands: usage errors exit 2, failures exit 1, both with one clear line. */
final class Commands {

    /** A command body. */
    @FunctionalInterface
    interface Body {
        int run(Options.Parsed parsed) throws UsageException, IOException;
    }

    private Commands() {
    }

    /** Declares {@code --force}, which lets a command replace the results already in its output directory. */
    static Options declareForce(Options options) {
        return options.flag("force", "replace the results already in the output directory (default: refuse)");
    }

    /**
     * The staging directory for a command's results in {@code target}, checked before any work:
     * see {@link OutputDirectory}.
     */
    /**
     * Caps ND4J's OpenMP and BLAS threads at the engine's thread count, so that prefill's matrix
     * products and the engine's own workers do not oversubscribe the cores. A process-wide setting,
     * hence made here, by the command that owns the process.
     */
    static void nd4jThreads(int threads) {
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
    }

    static OutputDirectory output(Options.Parsed parsed, Path target) throws IOException {
        return OutputDirectory.open(target, parsed.has("force"));
    }

    static int execute(String name, Options options, String[] args, PrintStream out, PrintStream err, Body body) {
        try {
            Options.Parsed parsed = options.parse(args);
            if (parsed.has("help")) {
                out.print(options.help());
                return 0;
            }
            return body.run(parsed);
        } catch (UsageException e) {
            err.println("scope-bench " + name + ": " + e.getMessage());
            err.println("Run 'scope-bench " + name + " --help' for usage.");
            return 2;
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            err.println("scope-bench " + name + ": " + message(e));
            return 1;
        } catch (UncheckedIOException e) {
            err.println("scope-bench " + name + ": " + message(e.getCause()));
            return 1;
        } catch (OutOfMemoryError e) {
            err.println("scope-bench " + name + ": out of memory with a maximum heap of "
                    + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB; give the JVM more (-Xmx) or run a smaller "
                    + "configuration");
            return 1;
        } catch (RuntimeException e) {
            // every expected failure has its own message above; this one is a defect, said in one line
            err.println("scope-bench " + name + ": internal error, please report it with the command line: " + e);
            return 1;
        }
    }

    /**
     * The message, or the exception's kind when it has none (an EOFException, for one). File-system
     * exceptions carry only the path as their message, so the reason is added.
     */
    private static String message(Throwable e) {
        if (e instanceof FileSystemException f && f.getFile() != null && String.valueOf(f.getMessage()).equals(f.getFile())) {
            String reason = e instanceof NoSuchFileException ? "no such file or directory"
                    : e instanceof AccessDeniedException ? "permission denied"
                    : e instanceof FileAlreadyExistsException ? "already exists"
                    : e instanceof NotDirectoryException ? "not a directory"
                    : e instanceof DirectoryNotEmptyException ? "directory not empty"
                    : e.getClass().getSimpleName();
            return f.getFile() + ": " + reason;
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
