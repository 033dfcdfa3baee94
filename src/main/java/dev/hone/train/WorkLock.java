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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lock a training run holds on its work folder while it runs, so that a second run on the same {@code --out}, or a
 * {@code --resume} of a run that is not interrupted but still going, is refused instead of writing into the first one's
 * files. An operating-system file lock ({@link FileChannel#tryLock}): the system releases it when the process ends,
 * however it ends, so a run killed with {@code kill -9} leaves nothing that blocks its resume.
 *
 * <p>The folders this process holds are also kept in a set, checked first: on Linux a lock is the process's, and
 * closing any other channel on its file (a second check from this process) would release it.
 */
final class WorkLock implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("hone");
    /** The file in the work folder; it moves with the folder when the run is published, and is removed from it after. */
    static final String FILE = "in-progress.lock";
    /** The work folders this process holds. */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final Path work;
    private final FileChannel channel;
    private final FileLock lock;

    private WorkLock(Path work, FileChannel channel, FileLock lock) {
        this.work = work;
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
        Path key = work.toAbsolutePath().normalize();
        if (!HELD.add(key)) {
            throw inProgress(out, work, Long.toString(ProcessHandle.current().pid()));
        }
        Path file = work.resolve(FILE);
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (IOException unsupported) {
                // a file system without locks (some NFS mounts): the run goes on, unguarded, as it did before locks
                LOG.warn("cannot lock {} ({}): a second run on the same --out will not be refused", file, unsupported.getMessage());
                return new WorkLock(key, channel, null);
            }
            if (lock == null) {
                channel.close();
                HELD.remove(key);
                throw inProgress(out, work, pidIn(file));
            }
            channel.truncate(0);
            channel.write(java.nio.ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            return new WorkLock(key, channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            HELD.remove(key);
            throw new HoneException("cannot write " + file + " (" + e.getMessage() + "). Fix: choose an --out in a writable"
                    + " folder", e);
        }
    }

    /**
     * @throws HoneException when a running process holds {@code work}'s lock: the folder is a run in progress, not an
     *     interrupted one
     */
    static void refuseIfHeld(Path work, Path out) {
        if (HELD.contains(work.toAbsolutePath().normalize())) {
            throw inProgress(out, work, Long.toString(ProcessHandle.current().pid()));
        }
        Path file = work.resolve(FILE);
        if (!Files.exists(file)) {
            return;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw inProgress(out, work, pidIn(file));
            }
            lock.release();
        } catch (IOException | OverlappingFileLockException e) {
            // no lock to read (a file system without locks, an unreadable file): preparing the folder says what is wrong
        }
    }

    /**
     * Removes the lock file from {@code folder}, the work folder or the folder it was renamed to, still holding the lock,
     * so that no other process locks it between the two.
     */
    void removeFileFrom(Path folder) {
        try {
            Files.deleteIfExists(folder.resolve(FILE));
        } catch (IOException e) {
            // a file left behind is harmless to the next run: it locks it again
        }
    }

    /** Removes the lock file (where it is still there), then releases the lock; again, it does nothing. */
    @Override
    public void close() {
        if (!channel.isOpen()) {
            return;
        }
        removeFileFrom(work);
        try {
            if (lock != null) {
                lock.release();
            }
        } catch (IOException e) {
            // closing the channel releases it too
        }
        closeQuietly(channel);
        HELD.remove(work);
    }

    private static String pidIn(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "";
        }
    }

    private static HoneException inProgress(Path out, Path work, String pid) {
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
