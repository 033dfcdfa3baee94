package dev.hone.cli;

import dev.hone.core.HoneException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A file a command writes at its end ({@code --json}), checked before the work so that a bad path costs no time. */
final class OutputFile {
    private OutputFile() {}

    /**
     * @param file the file, or null when the flag was not given (nothing to check)
     * @param flag the flag that named it, for the message
     * @throws HoneException when the file is a folder, or its folder does not exist or cannot be written
     */
    static void check(Path file, String flag) {
        if (file == null) {
            return;
        }
        Path absolute = file.toAbsolutePath();
        if (Files.isDirectory(absolute)) {
            throw HoneException.of(flag + " names a folder, not a file", absolute, "give a file name, e.g. "
                    + absolute.resolve("predictions.json"));
        }
        Path parent = absolute.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw HoneException.of(flag + "'s folder does not exist", parent, "create it first, or give a file in an existing folder");
        }
        if (!Files.isWritable(parent) || (Files.exists(absolute) && !Files.isWritable(absolute))) {
            throw HoneException.of(flag + " cannot be written", absolute, "give a file in a folder you can write");
        }
    }
}
