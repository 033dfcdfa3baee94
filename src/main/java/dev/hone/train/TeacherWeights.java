package dev.hone.train;

import dev.hone.core.HoneException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A Noisy Student teacher's weights on disk, as {@code TrialRunner.capture} holds them: one float array per
 * parameter, in block order. They are written by position, not by name, because the student may add a dropout
 * layer, which shifts the names but has no parameters. Written to a temporary file and renamed, so a kill leaves the
 * old file or the new one.
 */
final class TeacherWeights {
    private static final int MAGIC = 0x484F4E54; // "HONT"

    private TeacherWeights() {}

    static void write(Path file, float[][] weights) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
            out.writeInt(MAGIC);
            out.writeInt(weights.length);
            for (float[] w : weights) {
                out.writeInt(w.length);
                for (float v : w) {
                    out.writeFloat(v);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the teacher's weights to " + tmp, e);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not rename " + tmp + " to " + file, e);
        }
    }

    /** @throws HoneException when the file is not a teacher's weights */
    static float[][] read(Path file) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            if (in.readInt() != MAGIC) {
                throw HoneException.of("Not a hone teacher's weights file", file, restart(file));
            }
            long floats = Files.size(file) / Float.BYTES; // a damaged count must not allocate more than the file holds
            float[][] weights = new float[count(in, floats, file)][];
            for (int i = 0; i < weights.length; i++) {
                weights[i] = new float[count(in, floats, file)];
                for (int j = 0; j < weights[i].length; j++) {
                    weights[i][j] = in.readFloat();
                }
            }
            return weights;
        } catch (java.io.EOFException e) {
            throw HoneException.of("The teacher's weights file ends early", file, restart(file));
        } catch (IOException e) {
            throw HoneException.of("The teacher's weights cannot be read (" + e.getMessage() + ")", file,
                    restart(file));
        }
    }

    private static int count(DataInputStream in, long most, Path file) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > most) {
            throw HoneException.of("The teacher's weights file is damaged (a count of " + n + ")", file,
                    restart(file));
        }
        return n;
    }

    /** The fix for a damaged file: the run's work folder, which holds it, cannot be resumed. */
    private static String restart(Path file) {
        return "delete " + file.toAbsolutePath().getParent() + " and run again without --resume";
    }
}
