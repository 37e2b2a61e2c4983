package io.scopekv.bench;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Test data that lives beside the project, read in place from {@code ../shared/data/...} (found by
 * walking up from the working directory) and never copied into it. Without the folder a test that
 * needs it is skipped with a message naming the folder, except under {@code CI=true}, where its
 * absence is a failure: CI must run those tests, not skip them silently.
 */
public final class SharedData {

    private SharedData() {
    }

    /**
     * The folder {@code shared/data/<relative>} holding {@code marker}; skips (or, under
     * {@code CI=true}, fails) the calling test when there is none.
     *
     * @param relative the folder below {@code shared/data}, e.g. {@code gguf}
     * @param marker   a file or directory the folder must hold to count as present
     */
    public static Path folder(String relative, String marker) {
        String name = "shared/data/" + relative;
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(name);
            if (Files.exists(candidate.resolve(marker))) {
                return candidate;
            }
        }
        String message = "test data not found: no ../" + name + " holding " + marker + " above "
                + Path.of("").toAbsolutePath();
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(message + "; CI=true requires it");
        }
        abort(message + "; skipping");
        throw new AssertionError("unreachable");
    }
}
