// Chunks of tiny tasks (see chunk_p.h): taking one, running it without the lock, finishing it,
// reclaiming the unstarted rest of running chunks, and the counters published while they run.
#include "poolengine_p.h"

#include <algorithm>

namespace sluice {

namespace {

ResultStatus statusOf(OutcomeKind kind)
{
    switch (kind) {
    case OutcomeKind::Done:
        return ResultStatus::Done;
    case OutcomeKind::Skipped:
        return ResultStatus::Skipped;
    case OutcomeKind::Canceled:
        return ResultStatus::Canceled;
    case OutcomeKind::TransientFailure:
    case OutcomeKind::PermanentFailure:
    case OutcomeKind::Blocked: // never terminal; counted as failed only if it ever leaked
        break;
    }
    return ResultStatus::Failed;
}

// Terminal outcomes of a chunk, counted in one go: each moves from queued to its status.
struct ChunkTally
{
    qint64 counts[4] = {0, 0, 0, 0}; // by ResultStatus
    void add(ResultStatus s) { ++counts[int(s)]; }
    void apply(BatchCounters &c) const
    {
        const qint64 total = counts[0] + counts[1] + counts[2] + counts[3];
        c.queued -= total;
        c.done += counts[int(ResultStatus::Done)];
        c.skipped += counts[int(ResultStatus::Skipped)];
        c.failed += counts[int(ResultStatus::Failed)];
        c.canceled += counts[int(ResultStatus::Canceled)];
    }
};

} // namespace

// Up to `size` tiny tasks of one batch for one lock round trip. The first is the dispatched
// one; the rest are claimed one at a time (see Chunk) and may be reclaimed by others meanwhile.
void PoolEnginePrivate::runChunk(PoolLock &lock, Dispatched &job, int size,
                                 std::list<WorkerInfo>::iterator me)
{
    Batch &b = *job.batch;
    Chunk chunk;
    takeChunk_locked(chunk, job, size, me);
    const bool measureCpu = autoMode;
    const bool collect = feed.collects();
    lock.unlock();

    // The results of terminal tasks are built here, without the lock, as one block.
    QVector<TaskResult> results;
    if (collect)
        results.reserve(chunk.size);
    ChunkEnd end;
    const qint64 wall0 = steadyNowNs();
    const qint64 cpu0 = measureCpu ? threadCpuNs() : 0;
    const qint64 wait0 = measureCpu ? threadWaitNs() : 0;
    runChunkTasks(chunk, end, results, collect, *me);
    const qint64 wallNs = steadyNowNs() - wall0;
    const qint64 cpuNs = measureCpu ? threadCpuNs() - cpu0 : 0;
    const qint64 waitNs = measureCpu ? threadWaitNs() - wait0 : 0;

    lock.lock();
    finishChunk_locked(chunk, end, results, me);
    recordDuration_locked(b, wallNs, end.ran);
    if (measureCpu) // Auto judges the time the chunk had a core or waited for I/O
        autoSample_locked(wallNs - waitNs, cpuNs, steadyNowNs());
}

// Makes the chunk from the dispatched task and up to size - 1 of the batch's next ones, and
// publishes it (chunks, chunkBatchHint) so that others can reclaim its unstarted tasks.
void PoolEnginePrivate::takeChunk_locked(Chunk &chunk, Dispatched &job, int size,
                                         std::list<WorkerInfo>::iterator me)
{
    Batch &b = *job.batch;
    chunk.batch = &b;
    chunk.tasks.reserve(size_t(size));
    chunk.tasks.push_back(std::move(job.task));
    while (int(chunk.tasks.size()) < size && !b.queue.empty()) {
        chunk.tasks.push_back(std::move(b.queue.front()));
        b.queue.pop_front();
    }
    chunk.size = int(chunk.tasks.size());
    if (b.queue.empty())
        rings.remove(b);
    // One task of the chunk runs at a time: charge the largest estimate among them, so the
    // memory budget (and a budget set while the chunk runs) sees it.
    for (const QueuedTask &t : chunk.tasks)
        chunk.chargedCost = qMax(chunk.chargedCost, t.cost);
    policy.started(b, chunk.chargedCost, job.nowNs);
    chunks.push_back(&chunk);
    updateChunkHint_locked();
    ++b.activeChunks;
    ++activeChunks;
    peakRunning = qMax<int>(peakRunning, int(runningNow_locked()));
    startTask_locked(b, chunk.tasks.front(), me);
    // A task another batch submitted through the intake before it could see this chunk (see
    // chunkBatchHint) enters its ring now, and takes back what fairness says it must.
    drainIntake_locked();
}

// Runs the chunk's tasks without the lock, claiming them one by one, until they run out, one
// is reclaimed, or one ends with a transient failure or Blocked (which need the lock).
void PoolEnginePrivate::runChunkTasks(Chunk &chunk, ChunkEnd &end, QVector<TaskResult> &results,
                                      bool collect, WorkerInfo &me)
{
    Batch &b = *chunk.batch;
    // Only this thread writes `finished`: plain stores, no read-modify-write.
    qint64 finished[4] = {0, 0, 0, 0};
    for (int i = 0; i < chunk.size;) {
        QueuedTask &t = chunk.tasks[size_t(i)];
        ++t.attempts;
        me.currentTask.store(t.id, std::memory_order_relaxed);
        TaskOutcome outcome = runTask(b, t);
        ++end.ran;
        if (outcome.kind == OutcomeKind::TransientFailure || outcome.kind == OutcomeKind::Blocked) {
            end.stopped = std::move(outcome); // retries and requeues need the lock: end here
            break;
        }
        t.run = nullptr;
        const ResultStatus status = statusOf(outcome.kind);
        if (collect)
            results.append(TaskResult{t.id, b.id, t.tag, status, false, t.attempts,
                                      std::move(outcome.message), std::move(outcome.detail)});
        chunk.finished[int(status)].store(++finished[int(status)], std::memory_order_release);
        i = chunk.next.fetch_add(1, std::memory_order_acq_rel);
    }
}

void PoolEnginePrivate::finishChunk_locked(Chunk &chunk, ChunkEnd &end,
                                           QVector<TaskResult> &results,
                                           std::list<WorkerInfo>::iterator me)
{
    Batch &b = *chunk.batch;
    me->currentTask.store(0, std::memory_order_relaxed);
    chunks.erase(std::find(chunks.begin(), chunks.end(), &chunk));
    updateChunkHint_locked();
    --b.activeChunks;
    --activeChunks;
    policy.finished(chunk.chargedCost);
    // Whatever was neither run nor reclaimed goes back to the queue, in order.
    const int from = chunk.next.exchange(chunk.size, std::memory_order_acq_rel);
    returnToQueue_locked(b, chunk.tasks, qMin(from, chunk.size), chunk.size);
    if (b.canceled)
        cancelPending_locked(b);

    if (lifecycle.isDetached()) {
        b.counters.queued -= end.ran;
        b.counters.canceled += end.ran;
        return;
    }
    // Terminal outcomes move from queued in one go; a transient failure goes the long way.
    ChunkTally tally;
    for (int s = 0; s < 4; ++s)
        tally.counts[s] = chunk.finished[s].load(std::memory_order_relaxed);
    tally.apply(b.counters);
    tally.apply(totals);
    if (b.blockedProducers > 0)
        roomInQueue.notify_all(); // the chunk's finished tasks no longer count as queued
    if (!results.isEmpty())
        feed.addBlock(std::move(results));
    const qint64 terminal = end.stopped ? end.ran - 1 : end.ran;
    if (retries.hasErrors()) {
        for (qint64 i = 0; i < terminal; ++i) {
            const QueuedTask &t = chunk.tasks[size_t(i)];
            if (t.attempts > 1)
                retries.forgetError(t.id);
        }
    }
    if (end.stopped) {
        // The task that ended the chunk with a transient failure or Blocked goes the long way
        // (its memory was released with the chunk's).
        Dispatched retry{&b, std::move(chunk.tasks[size_t(terminal)])};
        count_locked(b, &BatchCounters::queued, &BatchCounters::running);
        complete_locked(retry, std::move(*end.stopped));
    }
    refreshState_locked(b);
    notifyIfDrained_locked();
}

bool PoolEnginePrivate::reclaimChunks_locked(const Batch *only, int maxLevel, const Batch *except)
{
    bool any = false;
    for (Chunk *c : chunks) {
        Batch &b = *c->batch;
        if ((only && &b != only) || &b == except || (maxLevel >= 0 && int(b.priority) > maxLevel))
            continue;
        const int from = c->next.exchange(c->size, std::memory_order_acq_rel);
        if (from >= c->size)
            continue;
        c->reclaimedFrom = from;
        returnToQueue_locked(b, c->tasks, from, c->size);
        any = true;
    }
    return any;
}

// Puts tasks [from, to) of a chunk back into their batch's queue where their ids say they
// belong (ids grow with submission), so FIFO holds however many chunks give tasks back.
void PoolEnginePrivate::returnToQueue_locked(Batch &b, std::vector<QueuedTask> &tasks, int from,
                                             int to)
{
    if (from >= to)
        return;
    const TaskId firstId = tasks[size_t(from)].id;
    auto at = std::find_if(b.queue.begin(), b.queue.end(),
                           [firstId](const QueuedTask &t) { return t.id > firstId; });
    b.queue.insert(at, std::make_move_iterator(tasks.begin() + from),
                   std::make_move_iterator(tasks.begin() + to));
    rings.add(b);
    if (b.blockedProducers > 0)
        roomInQueue.notify_all();
}

BatchCounters PoolEnginePrivate::published_locked(const Batch *b) const
{
    BatchCounters c = b ? b->counters : totals;
    for (const Chunk *chunk : chunks) {
        if (b && chunk->batch != b)
            continue;
        // Each atomic is read once: the worker moves on while we read, and two reads of one
        // counter could count a task twice. A claimed task counts as started: once claimed it
        // runs, whatever a pause or cancel says after that.
        const qint64 started = chunk->reclaimedFrom >= 0
                                   ? chunk->reclaimedFrom
                                   : qMin(chunk->next.load(std::memory_order_acquire), chunk->size);
        qint64 finished[4];
        for (int s = 0; s < 4; ++s)
            finished[s] = chunk->finished[s].load(std::memory_order_acquire);
        const qint64 total = finished[0] + finished[1] + finished[2] + finished[3];
        c.queued -= qMax(started, total);
        c.running += qMax<qint64>(0, started - total);
        c.done += finished[int(ResultStatus::Done)];
        c.skipped += finished[int(ResultStatus::Skipped)];
        c.failed += finished[int(ResultStatus::Failed)];
        c.canceled += finished[int(ResultStatus::Canceled)];
    }
    return c;
}

} // namespace sluice
