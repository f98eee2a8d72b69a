// The worker pool engine: bounded, resizable concurrency over batches of opaque tasks, with
// strict priority and round-robin between batches, a token-bucket rate limit, retries with
// backoff and full jitter, pause/resume, cooperative cancel, a memory budget, Auto workers and
// shutdown on a deadline. QtCore only; knows nothing about images.
//
// Threading: every public method is thread-safe and may be called from any thread, including
// from inside a running task (except the blocking ones: submit() on a full batch, waitFor*()
// and shutdown() must not be called from a task of the same pool).
//
// Ownership: the engine owns its worker threads. A task that ignores cancellation past a
// shutdown deadline is abandoned: its thread keeps the engine's internal state alive until the
// task returns, so destroying the engine neither blocks nor crashes.
#pragma once

#include "clock.h"
#include "pooltypes.h"

#include <QDeadlineTimer>
#include <QList>
#include <QVector>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace sluice {

struct PoolConfig
{
    int workers = 2;          // fixed worker count, 1..1024 (ignored when autoWorkers)
    bool autoWorkers = false; // Auto mode: steer between the core count and autoCap
    int autoCap = 64;
    int cores = 0;                // 0: QThread::idealThreadCount()
    qint64 autoIntervalMs = 200;  // how often Auto re-decides
    qint64 idleTimeoutMs = 30000; // an idle worker thread exits after this
    RateLimit rate;               // global token bucket
    RetryPolicy retry;
    qint64 memoryBudgetBytes = 0; // 0: unlimited
    quint32 seed = 0;             // jitter seed; 0 picks a random one
    Clock *clock = nullptr;       // not owned, must outlive the engine; nullptr: steady clock
    // Tests only: runs in a worker that found nothing to do and is about to park, with the
    // pool's lock held (a seam to submit from another thread at exactly that moment).
    std::function<void()> parkingHook;
};

// What the last shutdown() saw.
struct ShutdownReport
{
    bool stoppedInTime = true;  // everything ended by the deadline (+ grace after cancel)
    qint64 canceledQueued = 0;  // never started: canceled at once
    qint64 canceledRunning = 0; // running at the deadline; their tokens were set
    qint64 abandoned = 0;       // still running when shutdown() returned: they ignored the token
    QList<TaskId> abandonedTasks;
};

// Everything a facade needs to emit, drained in one go by takeEvents().
struct PoolEvents
{
    // Results in completion order, each task exactly once, in blocks: a chunk of tiny tasks
    // hands its results over as one block (built by its worker without the lock), so a million
    // results are never moved one by one on their way to the receiver. Single results are
    // appended to the last block.
    std::vector<QVector<TaskResult>> results;
    std::vector<std::pair<BatchId, BatchState>> stateChanges;
    std::vector<BatchSummary> finished; // batches that reached Finished or Canceled

    qsizetype resultCount() const
    {
        qsizetype n = 0;
        for (const QVector<TaskResult> &block : results)
            n += block.size();
        return n;
    }
    // Every result in one list, in order (a copy: for tests and simple consumers).
    std::vector<TaskResult> flatResults() const
    {
        std::vector<TaskResult> all;
        all.reserve(size_t(resultCount()));
        for (const QVector<TaskResult> &block : results)
            all.insert(all.end(), block.begin(), block.end());
        return all;
    }
    bool isEmpty() const { return results.empty() && stateChanges.empty() && finished.empty(); }
    void clear()
    {
        results.clear();
        stateChanges.clear();
        finished.clear();
    }
};

class PoolEnginePrivate;

class PoolEngine
{
public:
    explicit PoolEngine(const PoolConfig &config = {});
    // Shuts down (with a 5 s deadline if shutdown() was not called), then releases the threads.
    ~PoolEngine();
    PoolEngine(const PoolEngine &) = delete;
    PoolEngine &operator=(const PoolEngine &) = delete;

    // --- Workers -------------------------------------------------------------------------------
    // Fixed mode with n workers. Growing starts threads at once; shrinking retires them at task
    // boundaries, never interrupting a running task.
    void setWorkers(int n);
    // Auto mode: between the core count and cap, from measured CPU time against wall time.
    void setAutoWorkers(int cap);
    bool isAutoWorkers() const;
    int targetWorkers() const; // fixed n, or Auto's current choice
    int liveWorkers() const;   // worker threads that exist now
    int peakRunning() const;   // most tasks ever running at once (diagnostics, tests)
    void resetPeakRunning();
    void setIdleTimeout(qint64 ms);

    // --- Policies ------------------------------------------------------------------------------
    void setRateLimit(RateLimit limit); // global
    RateLimit rateLimit() const;
    void setRetryPolicy(const RetryPolicy &policy);
    RetryPolicy retryPolicy() const;
    void setMemoryBudget(qint64 bytes); // 0: unlimited
    qint64 memoryBudget() const;

    // --- Batches -------------------------------------------------------------------------------
    // Returns 0 when the pool is shut down.
    BatchId createBatch(const BatchOptions &options = {});
    // No more tasks will come; the batch finishes once every task is terminal.
    bool closeBatch(BatchId batch);
    // Forgets a finished or canceled batch (its counters stay in the totals). False while the
    // batch is not terminal, or while a producer blocked in submit() has not yet returned.
    bool removeBatch(BatchId batch);
    bool setPriority(BatchId batch, Priority priority); // effective at the batch's next dispatch
    bool setBatchRateLimit(BatchId batch, RateLimit limit);
    bool setMaxQueued(BatchId batch, qint64 maxQueued);

    // Blocks while the batch's queue is at its bound (BatchOptions::maxQueued), up to deadline.
    SubmitResult submit(BatchId batch, Task task,
                        QDeadlineTimer deadline = QDeadlineTimer(QDeadlineTimer::Forever));
    // Submits tasks in order under one lock acquisition (moving them out of `tasks`), waiting
    // for room as submit() does. The result's taskId is the first task's id (the others
    // follow consecutively) and `accepted` says how many went in before any refusal.
    SubmitResult submitMany(BatchId batch, std::vector<Task> &tasks,
                            QDeadlineTimer deadline = QDeadlineTimer(QDeadlineTimer::Forever));
    // Never blocks: WouldBlock when the batch's queue is at its bound.
    SubmitResult trySubmit(BatchId batch, Task task);

    // Pause stops dispatch at once; running tasks finish (Pausing, then Paused).
    bool pauseBatch(BatchId batch);
    bool resumeBatch(BatchId batch);
    // Queued and backing-off tasks become Canceled results at once; running tasks get their
    // cancellation token set. Later submits to the batch fail with BatchCanceled.
    bool cancelBatch(BatchId batch);
    void pauseAll();
    // Lifts pauseAll(); batches paused one by one with pauseBatch() stay paused.
    void resumeAll();
    bool isPausedAll() const;
    void cancelAll();

    // --- Observation ---------------------------------------------------------------------------
    QList<BatchId> batches() const;
    std::optional<BatchSummary> summary(BatchId batch) const;
    BatchCounters counters(BatchId batch) const; // zeros for an unknown batch
    BatchCounters totals() const;                // all batches ever, removed ones included
    BatchState state(BatchId batch) const;
    // Why the batch is paused when a task paused it (a Blocked outcome: "No space left on
    // device"); empty when it is not paused or was paused by a caller.
    QString pauseReason(BatchId batch) const;
    PoolStats stats() const;

    // Event feed for one consumer (the QObject facade). onPending is called, possibly from a
    // worker thread and with the pool's lock held, when events go from none to some (false),
    // and when a batch reaches Finished or Canceled (true); it must only schedule work (post
    // an event), never call back into the engine. Without a consumer the engine still records
    // events; call setCollectEvents(false) to drop them instead.
    void setEventsCallback(std::function<void(bool batchEnded)> onPending);
    void setCollectEvents(bool collect);
    void takeEvents(PoolEvents &out);

    // --- Waiting and shutdown ------------------------------------------------------------------
    bool waitForBatch(BatchId batch,
                      QDeadlineTimer deadline = QDeadlineTimer(QDeadlineTimer::Forever));
    bool waitForIdle(QDeadlineTimer deadline = QDeadlineTimer(QDeadlineTimer::Forever));
    // Stops accepting work and cancels what never started; lets running tasks finish until the
    // deadline, then sets their tokens and waits a short grace (at most 200 ms). Returns true
    // when nothing is left running. Never blocks past deadline + 200 ms.
    bool shutdown(QDeadlineTimer deadline);
    bool isShutDown() const;
    ShutdownReport lastShutdownReport() const;

private:
    std::shared_ptr<PoolEnginePrivate> d;
};

} // namespace sluice
