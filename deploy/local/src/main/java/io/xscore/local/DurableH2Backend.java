package io.xscore.local;

import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.message.MongoQuery;
import io.netty.channel.Channel;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * mongo-java-server's H2 backend made durable: no command is answered before its changes are in the file.
 *
 * <p>The stock {@link H2Backend} opens its MVStore with auto-commit, which writes changes from a background thread
 * about once a second: a write acknowledged to the client could be lost when the process died before that. Here the
 * MVStore is opened with auto-commit off (no background writer, no commit triggered by the amount of unsaved
 * changes), and every command that changed anything is followed by a commit, which writes the changes to the file
 * synchronously, and, unless disabled, an fsync, before the reply goes out.
 *
 * <p>Commands run under the read side of a lock, commits under its write side, so a commit never captures a command
 * half done (a document stored but its index entry not yet): after a crash the file holds the state after the last
 * complete command. Commits are grouped: a command whose changes were already written by another connection's commit
 * does not commit again.
 *
 * <p>Without the background writer MVStore does no housekeeping; a maintenance task rewrites sparse chunks now and
 * then (under the same lock), so the file does not grow without bound.
 */
public class DurableH2Backend extends H2Backend {

    private static final Logger log = LoggerFactory.getLogger(DurableH2Backend.class);

    /** Chunk fill rate (%) under which maintenance rewrites chunks, and the most bytes it rewrites at a time. */
    private static final int COMPACT_FILL_RATE = 60;
    private static final int COMPACT_WRITE_BYTES = 4 * 1024 * 1024;

    /** How long unused chunks are kept before their space is reused, when every commit is synced. */
    private static final int RETENTION_MS_WITH_FSYNC = 2_000;

    private final MVStore store;
    private final boolean fsync;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    /** Every change made while {@code store.getCurrentVersion()} was below this is in the file (guarded by lock). */
    private long durableVersion;
    private final ScheduledExecutorService maintenance;

    /**
     * @param file the H2 MVStore file
     * @param fsync also force each commit to the storage device (survives power loss and OS crashes, not only the
     *     death of this process)
     */
    public DurableH2Backend(Path file, boolean fsync) {
        this(open(file), fsync);
    }

    private DurableH2Backend(MVStore store, boolean fsync) {
        super(store);
        this.store = store;
        this.fsync = fsync;
        if (fsync) {
            // A chunk no longer used may be overwritten after the retention time. H2 keeps them 45 s in case the
            // operating system writes buffers out of order; every commit here is synced before the next one, so
            // a short time is enough, and it bounds the file: each commit writes a chunk of at least ~8-20 KB.
            store.setRetentionTime(RETENTION_MS_WITH_FSYNC);
        }
        // Opening the databases of an existing file may have created maps: write them before serving anything.
        commitNow();
        maintenance = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "h2-maintenance");
            t.setDaemon(true);
            return t;
        });
        maintenance.scheduleWithFixedDelay(this::compact, 30, 30, TimeUnit.SECONDS);
    }

    private static MVStore open(Path file) {
        log.info("opening MVStore in '{}' (auto-commit off, commit after every change)", file);
        return new MVStore.Builder()
                .fileName(file.toString())
                .autoCommitDisabled()
                // no commit in the middle of a command because unsaved changes reached a size
                .autoCommitBufferSize(0)
                .open();
    }

    public boolean fsync() {
        return fsync;
    }

    @Override
    public Document handleCommand(Channel channel, String database, String command, Document query) {
        return durably(() -> super.handleCommand(channel, database, command, query));
    }

    @Override
    public QueryResult handleQuery(MongoQuery query) {
        return durably(() -> super.handleQuery(query));
    }

    @Override
    public void dropDatabase(String database) {
        durably(() -> {
            super.dropDatabase(database);
            return null;
        });
    }

    private <T> T durably(Supplier<T> command) {
        if (lock.getReadHoldCount() > 0) {
            return command.get(); // nested (dropDatabase inside a command): the outer call commits
        }
        long version = 0;
        boolean changed = false;
        lock.readLock().lock();
        try {
            return command.get();
        } finally {
            try {
                // Still under the read lock: no commit can run, so the current version is the one our changes (if
                // any) belong to. Changes of other commands running now count too, and are written with ours.
                version = store.getCurrentVersion();
                changed = store.hasUnsavedChanges();
            } finally {
                lock.readLock().unlock();
            }
            if (changed) {
                // The reply is sent only after this returns: commit (and fsync) first. Also when the command
                // failed half way, so that the file matches what later commands see.
                makeDurable(version);
            }
        }
    }

    private void makeDurable(long version) {
        lock.writeLock().lock();
        try {
            if (durableVersion <= version) {
                commitNow();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Commits (and syncs) whatever is unsaved. Caller holds the write lock, or nobody else can run yet. */
    private void commitNow() {
        if (store.hasUnsavedChanges()) {
            store.commit();
        }
        if (fsync) {
            store.sync();
        }
        durableVersion = store.getCurrentVersion();
    }

    private void compact() {
        lock.writeLock().lock();
        try {
            if (store.isClosed()) {
                return;
            }
            if (store.compact(COMPACT_FILL_RATE, COMPACT_WRITE_BYTES)) {
                commitNow();
            }
        } catch (RuntimeException e) {
            log.warn("MVStore maintenance failed", e);
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public void close() {
        maintenance.shutdownNow();
        lock.writeLock().lock();
        try {
            super.close(); // commits and closes the store
        } finally {
            lock.writeLock().unlock();
        }
    }
}
