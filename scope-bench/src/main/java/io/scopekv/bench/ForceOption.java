package io.scopekv.bench;

import io.scopekv.bench.io.OutputDirectory;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --force}, which lets a command replace the results already in its output directory. */
final class ForceOption {

    @Option(names = "--force", description = "replace the results already in the output directory (default: refuse)")
    boolean force;

    /** The staging directory for a command's results in {@code target}, checked before any work: see {@link OutputDirectory}. */
    OutputDirectory open(Path target) throws IOException {
        return OutputDirectory.open(target, force);
    }
}
