package dev.hone.train;

import dev.hone.core.HoneException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The lock a training run holds on its work folder while it runs, so that a second run on the same {@code --out}, or a
 * {@code --resume} of a run that is not interrupted but still going, is refused instead of writing into the first one's
 * files. An operating-system file lock ({@link FileChannel#tryLock}): the system releases it when the process ends,
 * however it ends, so a run killed with {@code kill -9} leaves nothing that blocks its resume.
 */
final class WorkLock implements AutoCloseable {
    /** The file in the work folder; removed before the folder is published. */
    static final String FILE = "in-progress.lock";

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private WorkLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Locks {@code work} for this process.
     *
     * @param out the run's {@code --out}, for the message
     * @throws HoneException when another run holds it (naming the process, where it wrote its id), or the lock file
     *     cannot be written
     */
    static WorkLock acquire(Path work, Path out) {
        Path file = work.resolve(FILE);
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
            FileLock lock = tryLock(channel);
            if (lock == null) {
                channel.close();
                throw inProgress(out, work, file);
            }
            channel.truncate(0);
            channel.write(java.nio.ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            return new WorkLock(file, channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new HoneException("cannot lock " + work + " for this run (" + e.getMessage() + "). Fix: choose an --out in a"
                    + " writable folder", e);
        }
    }

    /**
     * @throws HoneException when a running process holds {@code work}'s lock: the folder is a run in progress, not an
     *     interrupted one
     */
    static void refuseIfHeld(Path work, Path out) {
        Path file = work.resolve(FILE);
        if (!Files.exists(file)) {
            return;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            FileLock lock = tryLock(channel);
            if (lock == null) {
                throw inProgress(out, work, file);
            }
            lock.release();
        } catch (IOException e) {
            // unreadable: preparing the folder says what is wrong with it
        }
    }

    /** Releases the lock and removes its file; again, it does nothing. */
    @Override
    public void close() {
        if (!channel.isOpen()) {
            return;
        }
        try {
            lock.release();
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // the lock goes with the process; a file left behind is harmless to the next run
        }
        closeQuietly(channel);
    }

    /** The lock, or null when another process, or another run in this one, holds it. */
    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null;
        }
    }

    private static HoneException inProgress(Path out, Path work, Path file) {
        String pid;
        try {
            pid = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            pid = "";
        }
        return new HoneException("a run on " + out + " is in progress" + (pid.isEmpty() ? "" : " (process " + pid + ")")
                + ": it holds the lock on " + work + ". Fix: wait for it to finish, or stop it (Ctrl-C) and continue it with"
                + " --resume; to train another run at the same time, choose another --out");
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing more to release
            }
        }
    }
}
