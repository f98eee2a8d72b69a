// Internal state of PoolEngine (private to src/pool).
//
// Ownership: PoolEngine holds PoolEnginePrivate through a shared_ptr, and so does every worker
// thread: a thread that outlives the engine (a task abandoned past a shutdown deadline) keeps the
// state alive until it returns, and frees it. PoolEnginePrivate owns the batches, and through
// them every queued task; the parts below (rings, retry queue, dispatch policy, event feed,
// lifecycle) each own their own state and hold plain pointers to batches.
//
// Locking: one mutex (the pool's lock) guards everything below it; members and helpers that
// need it held end in _locked. The intake has a small lock of its own (intakeMutex; lock order:
// the pool's lock, then intakeMutex). Three condition variables, each named for who waits on
// it. Memory orderings are explained where the atomics are declared and used (the Intake
// section below, intake.cpp, worker.cpp, chunk.cpp).
//
// Threads: PoolEngine's methods run in their callers' threads (any thread); workerMain() and
// everything under runLoop() run in the worker threads the engine starts; a ManualClock's
// listener runs in the thread that advances it. All of them meet only under the locks above,
// except for the atomics, the task callables (run without the lock) and the cancel tokens.
//
// Where the code is, by concern:
//   poolengine.cpp      the public API: settings, batches, pause and cancel, observation, events
//   lifecycle.cpp       construction, shutdown() and destruction (see lifecycle_p.h)
//   intake.cpp          submit() without the pool's lock, its handshake with parking workers
//   dispatch.cpp        which task runs next, waking and starting workers, Auto's target
//   worker.cpp          the worker thread: its loop, waiting for work, running one task
//   chunk.cpp           chunks of tiny tasks: running, reclaiming, published counters
//   batchstate.cpp      counters, batch states, outcomes, cancel of what is pending
//   dispatchpolicy_p.h  token buckets and memory budget behind one interface
//   retryqueue.cpp      the delay queue of retries;  batchrings.cpp  the round-robin rings
//   eventfeed.cpp       results and state changes for the facade
#pragma once

#include "autoscaler.h"
#include "backoff.h"
#include "batch_p.h"
#include "batchrings_p.h"
#include "chunk_p.h"
#include "dispatchpolicy_p.h"
#include "eventfeed_p.h"
#include "lifecycle_p.h"
#include "poolengine.h"
#include "poolmutex_p.h"
#include "retryqueue_p.h"

#include <atomic>
#include <chrono>
#include <exception>
#include <list>
#include <memory>
#include <unordered_map>
#include <vector>

namespace sluice {

struct WorkerInfo
{
    // The task this worker runs; a chunk updates it without the lock as it claims tasks.
    std::atomic<TaskId> currentTask{0};
    bool exitsParked = false; // leaves after an idle wait still counted in needLock (pool's lock)
};

class PoolEnginePrivate : public std::enable_shared_from_this<PoolEnginePrivate>
{
public:
    explicit PoolEnginePrivate(const PoolConfig &config);

    // --- Guarded by mutex ----------------------------------------------------------------------
    PoolMutex mutex;
    PoolCondition workAvailable; // idle workers wait here
    PoolCondition roomInQueue;   // producers blocked by a batch's queue bound
    PoolCondition progressMade;  // waitFor*() and shutdown() wait here

    Clock *clock;
    int cores;
    bool autoMode;
    int fixedWorkers;
    int target;
    AutoScaler scaler;
    qint64 autoIntervalNs;
    qint64 idleTimeoutMs;
    DispatchPolicy policy; // global and per-batch token buckets, memory budget
    Backoff backoff;

    std::unordered_map<BatchId, std::unique_ptr<Batch>> batches;
    BatchRings rings;   // batches with queued tasks
    RetryQueue retries; // tasks waiting out a backoff
    BatchCounters totals;
    BatchId nextBatchId = 1;

    // Tiny tasks are dispatched in chunks: one lock round trip for up to MaxChunk tasks (see
    // Chunk). Pause, cancel, priority, fairness, policy changes and idle workers reclaim a
    // chunk's unstarted tasks at once, so they never wait behind it.
    std::vector<Chunk *> chunks; // running chunks; each lives on its worker's stack
    int activeChunks = 0;

    int liveThreads = 0;
    int idleThreads = 0;
    int wakesPending = 0; // idle threads notified but not yet awake
    int lingering = 0;    // idle threads napping briefly for more tiny tasks
    int peakRunning = 0;
    std::list<WorkerInfo> workers;
    PoolLifecycle lifecycle; // Running, ShuttingDown, Stopping, Detached (see lifecycle_p.h)
    // The global pause, a flag of its own: it is orthogonal to the lifecycle (see lifecycle_p.h).
    bool pausedAll = false;
    ShutdownReport report;

    EventFeed feed; // results and state changes for the facade

    // Auto mode measurements of the current interval.
    AutoSample window;
    qint64 windowStartNs = 0;
    quint64 machineBusyTicks = 0;
    quint64 machineTotalTicks = 0;

    int clockListener = 0;
    std::function<void()> parkingHook; // PoolConfig::parkingHook

    // --- Intake (intake.cpp) -------------------------------------------------------------------
    // An unbounded batch's submit() does not take the pool's lock: under intakeMutex (held for
    // a push, by producers, and for a swap, by whoever drains) it appends to the batch's
    // `incoming`, and the pool's lock holder moves those into the queues (drainIntake_locked)
    // before it dispatches or reads queues and counters, so every caller still sees every
    // submitted task. Producers and workers no longer take turns on one lock per task.
    //
    // What a producer reads under intakeMutex alone (the batch map, a batch's canceled, closed
    // and maxQueued, the lifecycle) is written with both locks held; nextTaskId, intakeBatches
    // and the batches' `incoming` belong to intakeMutex alone. Lock order: the pool's lock, then
    // intakeMutex.
    //
    // A producer that skips the pool's lock cannot wake anyone, so it takes it when needLock
    // is non-zero: while a worker is parked (not napping) and while there are fewer threads
    // than the target (a napping worker is not counted: a task that finds only napping
    // workers starts when the nap ends, within LingerUs). A parking worker counts itself in
    // needLock and then checks intakePending; the producer whose push makes the intake
    // non-empty sets intakePending and then checks needLock (both seq_cst), so one of them
    // always sees the other. Pushes to a
    // batch that already has tasks in the intake touch no shared atomic at all: whatever they
    // could need was decided by that batch's first push, and nothing parks while the intake is
    // pending. The three atomics have cache lines of their own: the producer writes one, the
    // workers the others.
    PoolMutex intakeMutex;
    std::vector<Batch *> intakeBatches; // intakeMutex: batches with a non-empty `incoming`
    TaskId nextTaskId = 1;              // intakeMutex
    alignas(64) std::atomic<int> intakePending{0}; // 1 while any `incoming` is not empty
    alignas(64) std::atomic<int> needLock{0};
    // The batch of every running chunk (0: none; MixedChunks: several). A batch's first push
    // into the intake while a chunk of another batch runs takes the pool's lock, so entering the
    // ring reclaims chunk tasks at once as it must; a worker publishes a new chunk here and then
    // drains the intake (Dekker again, seq_cst).
    static constexpr quint64 MixedChunks = ~quint64(0);
    alignas(64) std::atomic<quint64> chunkBatchHint{0};
    quint64 submitCount = 0;        // pool's lock: tasks queued so far (napping workers watch)
    bool shortHinted = false;       // needLock counts "fewer threads than the target"
    std::vector<Batch *> drainList; // scratch for drainIntake_locked
    static constexpr size_t MaxSpareCapacity = 4096; // tasks: a larger drained buffer is freed

    // --- Helpers (mutex held) ------------------------------------------------------------------
    // lifecycle.cpp
    void advanceLifecycle_locked(Lifecycle next); // takes intakeMutex too
    qint64 cancelEverythingQueued_locked();       // returns how many were canceled
    QList<TaskId> abandonedTasks_locked() const;
    // intake.cpp
    // Inline: checked before every dispatch and every read of queues and counters.
    void drainIntake_locked()
    {
        if (intakePending.load(std::memory_order_seq_cst) != 0)
            moveIntake_locked();
    }
    void moveIntake_locked();
    void swapIntake_held(); // both locks held
    void queueDrained_locked();
    void syncThreadHint_locked();
    void updateChunkHint_locked();
    // Why a submit to `b` is refused, or Accepted. With the pool's lock or with intakeMutex
    // alone: what it reads is written with both held. Inline: every submit asks.
    SubmitStatus refusal_locked(const Batch *b) const
    {
        if (!lifecycle.acceptsWork())
            return SubmitStatus::PoolShutDown;
        if (!b)
            return SubmitStatus::UnknownBatch;
        if (b->canceled)
            return SubmitStatus::BatchCanceled;
        if (b->closed)
            return SubmitStatus::BatchClosed;
        return SubmitStatus::Accepted;
    }
    SubmitStatus waitForRoom_locked(PoolLock &lock, BatchId id, Batch *&b, QDeadlineTimer deadline);
    TaskId enqueue_locked(Batch &b, Task *tasks, qint64 count);
    // dispatch.cpp
    bool tryDispatch_locked(Dispatched &out, qint64 &nextEventNs);
    enum class Pick : quint8
    {
        Taken,     // a task was taken
        NoneReady, // no batch has a task that may start now
        Wait       // a policy says nothing may start now
    };
    Pick takeNext_locked(Dispatched &out, qint64 nowNs, qint64 &nextEventNs);
    void promoteDueRetries_locked(qint64 nowNs);
    void enterRing_locked(Batch &b);
    void wakeWorkers_locked(bool all);
    void applyTarget_locked(int newTarget);
    int chunkSize_locked(const Batch &b) const;
    bool needsAnotherWorker_locked(const Batch &b) const;
    // batchstate.cpp
    // Or under intakeMutex alone (see Intake). Inline: every submit looks its batch up.
    Batch *find_locked(BatchId id) const
    {
        auto it = batches.find(id);
        return it == batches.end() ? nullptr : it->second.get();
    }
    void count_locked(Batch &b, qint64 BatchCounters::*from, qint64 BatchCounters::*to)
    {
        // Moves one task between two counters, in the batch and in the totals.
        if (from) {
            --(b.counters.*from);
            --(totals.*from);
        }
        if (to) {
            ++(b.counters.*to);
            ++(totals.*to);
        }
    }
    void complete_locked(Dispatched &job, TaskOutcome &&outcome);
    void scheduleRetry_locked(Batch &b, QueuedTask &t, const QString &error);
    void requeueBlocked_locked(Batch &b, QueuedTask &t, QString reason);
    void finishTask_locked(Batch &b, const QueuedTask &task, ResultStatus status, bool transient,
                           QString message, QVariant detail);
    void notifyIfDrained_locked();
    void cancelPending_locked(Batch &b);
    void refreshState_locked(Batch &b);
    void refreshAllStates_locked();
    void announceState_locked(const Batch &b, BatchState s);
    bool isIdle_locked() const { return totals.pending() == 0; }
    qint64 runningNow_locked() const { return totals.running + activeChunks; }
    // chunk.cpp. Hands unstarted chunk tasks back to their batches' queues: of one batch, of the
    // batches at or below a priority level (other than `except`), or of all (nullptr, -1).
    bool reclaimChunks_locked(const Batch *only, int maxLevel = -1, const Batch *except = nullptr);
    void interruptChunks_locked() { reclaimChunks_locked(nullptr); }
    void returnToQueue_locked(Batch &b, std::vector<QueuedTask> &tasks, int from, int to);
    BatchCounters published_locked(const Batch *b) const; // nullptr: totals
    static constexpr qint64 MaxTinyTaskNs = 20000;        // tasks shorter than this are "tiny"
    static bool hasTinyTasks(const Batch &b)
    {
        return b.avgTaskNs >= 0 && b.avgTaskNs <= MaxTinyTaskNs && b.timedTasks >= 8;
    }
    // worker.cpp
    void spawnWorker_locked();
    void startTask_locked(Batch &b, QueuedTask &task, std::list<WorkerInfo>::iterator me);
    void recordDuration_locked(Batch &b, qint64 wallNs, qint64 tasks);
    void autoSample_locked(qint64 wallNs, qint64 cpuNs, qint64 steadyNow);

    // --- Worker thread -------------------------------------------------------------------------
    // worker.cpp
    static void workerMain(std::shared_ptr<PoolEnginePrivate> self,
                           std::list<WorkerInfo>::iterator me);
    void runLoop(PoolLock &lock, std::list<WorkerInfo>::iterator me);
    bool waitForWork_locked(PoolLock &lock, qint64 nextEventNs, bool &linger, WorkerInfo &me);
    bool nap_locked(PoolLock &lock);
    bool park_locked(PoolLock &lock, qint64 nextEventNs, WorkerInfo &me);
    static constexpr int LingerUs = 300;
    static TaskOutcome runTask(Batch &b, QueuedTask &task);
    void runOne(PoolLock &lock, Dispatched &job, std::list<WorkerInfo>::iterator me);
    // chunk.cpp
    void runChunk(PoolLock &lock, Dispatched &job, int size, std::list<WorkerInfo>::iterator me);
    void takeChunk_locked(Chunk &chunk, Dispatched &job, int size,
                          std::list<WorkerInfo>::iterator me);
    static void runChunkTasks(Chunk &chunk, ChunkEnd &end, QVector<TaskResult> &results,
                              bool collect, WorkerInfo &me);
    void finishChunk_locked(Chunk &chunk, ChunkEnd &end, QVector<TaskResult> &results,
                            std::list<WorkerInfo>::iterator me);

    // --- Shared by the files above -------------------------------------------------------------
    static constexpr qint64 NsPerMs = 1000000;
    static qint64 steadyNowNs() { return SteadyClock::instance()->nowNs(); }
    static qint64 threadCpuNs();  // worker.cpp
    static qint64 threadWaitNs(); // worker.cpp: waiting for a core
    static std::chrono::steady_clock::time_point steadyPoint(qint64 ns)
    {
        return std::chrono::steady_clock::time_point(std::chrono::nanoseconds(ns));
    }
};

// Runs a task's callable without the lock; an exception becomes a permanent failure. Inline:
// a chunk calls it for every tiny task.
inline TaskOutcome PoolEnginePrivate::runTask(Batch &b, QueuedTask &task)
{
    const TaskContext ctx(&b.cancelToken, task.id, b.id, task.attempts);
    try {
        if (task.run)
            return task.run(ctx);
        return TaskOutcome::permanentFailure(QStringLiteral("empty task"));
    } catch (const std::exception &e) {
        return TaskOutcome::permanentFailure(QString::fromLocal8Bit(e.what()));
    } catch (...) {
        return TaskOutcome::permanentFailure(QStringLiteral("unknown exception"));
    }
}

} // namespace sluice
