// Internal state of PoolEngine. One mutex guards everything below it; members and helpers that
// need it held end in _locked. Three condition variables, each named for who waits on it.
#pragma once

#include "autoscaler.h"
#include "backoff.h"
#include "memorybudget.h"
#include "poolengine.h"
#include "tokenbucket.h"

#include <condition_variable>
#include <deque>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

#if defined(__GLIBC__)
#include <pthread.h>
#endif

namespace sluice {

// The pool's one lock. It is held for well under a microsecond at a time, by a producer
// submitting and by workers taking chunks; with glibc's adaptive mutex a contender spins
// briefly instead of sleeping in the kernel at once, which on two cores avoids a context
// switch per contention (measured: 4-10x fewer voluntary switches on the no-op bench).
class PoolMutex
{
public:
#if defined(__GLIBC__)
    PoolMutex()
    {
        pthread_mutexattr_t attr;
        pthread_mutexattr_init(&attr);
        pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ADAPTIVE_NP);
        pthread_mutex_init(&m_mutex, &attr);
        pthread_mutexattr_destroy(&attr);
    }
    ~PoolMutex()
    {
        pthread_mutex_destroy(&m_mutex);
    }
    void lock()
    {
        pthread_mutex_lock(&m_mutex);
    }
    void unlock()
    {
        pthread_mutex_unlock(&m_mutex);
    }
    bool try_lock()
    {
        return pthread_mutex_trylock(&m_mutex) == 0;
    }

private:
    pthread_mutex_t m_mutex;
#else
    void lock()
    {
        m_mutex.lock();
    }
    void unlock()
    {
        m_mutex.unlock();
    }
    bool try_lock()
    {
        return m_mutex.try_lock();
    }

private:
    std::mutex m_mutex;
#endif
public:
    PoolMutex(const PoolMutex &) = delete;
    PoolMutex &operator=(const PoolMutex &) = delete;
};

using PoolLock = std::unique_lock<PoolMutex>;
using PoolGuard = std::lock_guard<PoolMutex>;
using PoolCondition = std::condition_variable_any;

struct QueuedTask
{
    TaskFunction run;
    qint64 cost = 0;
    quint64 tag = 0;
    TaskId id = 0;
    int attempts = 0; // runs made so far
};

struct Batch
{
    BatchId id = 0;
    QString name;
    Priority priority = Priority::Normal;
    qint64 maxQueued = 0;
    std::deque<QueuedTask> queue;
    TokenBucket rate;
    BatchCounters counters;
    BatchState state = BatchState::Queued;
    bool paused = false;
    QString pauseReason; // set when a Blocked outcome paused the batch
    bool canceled = false;
    bool closed = false;
    bool started = false;
    bool inRing = false;
    int blockedProducers = 0;
    int activeChunks = 0;  // workers running a chunk of this batch's tiny tasks
    qint64 avgTaskNs = -1; // moving average of task wall time; -1 until measured
    int timedTasks = 0;
    qint64 firstDispatchNs = 0; // steady clock, for the summary's elapsed time
    qint64 finishNs = 0;
    std::atomic<bool> cancelToken{false}; // read by running tasks without the lock
    // Submitted without the pool's lock and not yet in `queue` (see PoolEnginePrivate::intake).
    std::vector<QueuedTask> incoming; // guarded by intakeMutex
    std::vector<QueuedTask> drained;  // pool's lock: `incoming`'s other buffer, kept for capacity
};

// Tasks canceled before they ran, handed over whole (a batch's queue, or what it had in the
// intake) so that the lock holder does not build a result per task.
struct DeferredCanceled
{
    BatchId batch = 0;
    std::deque<QueuedTask> queued;
    std::vector<QueuedTask> intake;
};

struct RetryEntry
{
    qint64 readyNs = 0;
    quint64 sequence = 0;   // FIFO among equal ready times
    Batch *batch = nullptr; // owned by PoolEnginePrivate::batches; lives while it has tasks
    QueuedTask task;
};

// A run of one batch's tiny tasks taken by one worker for one lock round trip. The worker claims
// tasks one by one with `next` and runs them without the lock; anyone holding the pool's lock
// may reclaim the unclaimed rest by exchanging `next` to `size` and moving them back to the
// batch's queue. Until the chunk ends, its tasks stay counted as queued internally; counters
// published to callers move the started and finished ones to running and their outcomes.
struct Chunk
{
    Batch *batch = nullptr;
    std::vector<QueuedTask> tasks;
    int size = 0;
    std::atomic<int> next{1}; // task 0 is claimed when the chunk is made
    int reclaimedFrom = -1;   // under the pool's lock: where a reclaim cut the chunk
    qint64 chargedCost = 0;   // memory charged for the chunk's running task
    std::atomic<qint64> finished[4] = {{0}, {0}, {0}, {0}}; // by ResultStatus
};

// How a chunk's run ended: tasks run (claimed ones, in order from the first), and the outcome
// of the last one when it was a transient failure or Blocked, which ends a chunk.
struct ChunkEnd
{
    qint64 ran = 0;
    std::optional<TaskOutcome> stopped;
};

struct WorkerInfo
{
    // The task this worker runs; a chunk updates it without the lock as it claims tasks.
    std::atomic<TaskId> currentTask{0};
    bool exitsParked = false; // leaves after an idle wait still counted in needLock (pool's lock)
};

// A task taken off the queue by a worker, with what it needs to run and to report.
struct Dispatched
{
    Batch *batch = nullptr;
    QueuedTask task;
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
    TokenBucket globalRate;
    Backoff backoff;
    MemoryBudget memory;

    std::unordered_map<BatchId, std::unique_ptr<Batch>> batches;
    std::deque<Batch *> rings[PriorityLevels];      // batches with queued tasks
    std::vector<RetryEntry> retryHeap;              // min-heap on readyNs
    std::unordered_map<TaskId, QString> lastErrors; // of tasks waiting to retry
    BatchCounters totals;
    BatchId nextBatchId = 1;
    quint64 retrySequence = 0;

    // Tiny tasks are dispatched in chunks: one lock round trip for up to MaxChunk tasks (see
    // Chunk). Pause, cancel, priority, fairness, policy changes and idle workers reclaim a
    // chunk's unstarted tasks at once, so they never wait behind it.
    std::vector<Chunk *> chunks; // running chunks; each lives on its worker's stack
    int activeChunks = 0;

    int liveThreads = 0;
    int idleThreads = 0;
    int wakesPending = 0;       // idle threads notified but not yet awake
    int lingering = 0;          // idle threads napping briefly for more tiny tasks
    int rateLimitedBatches = 0; // batches with their own token bucket: dispatch needs the clock
    int peakRunning = 0;
    std::list<WorkerInfo> workers;
    bool pausedAll = false;
    bool shuttingDown = false; // no new work accepted
    bool stopping = false;     // workers exit as soon as they are free
    bool detached = false;     // the PoolEngine object is gone
    ShutdownReport report;

    bool collectEvents = true;
    PoolEvents events;
    // Tasks canceled while queued, whose results takeEvents() builds (see cancelPending_locked).
    std::vector<DeferredCanceled> deferredCanceled;
    std::function<void(bool batchEnded)> onEventsPending;

    // Auto mode measurements of the current interval.
    AutoSample window;
    qint64 windowStartNs = 0;
    quint64 machineBusyTicks = 0;
    quint64 machineTotalTicks = 0;

    int clockListener = 0;
    std::function<void()> parkingHook; // PoolConfig::parkingHook

    // --- Intake -------------------------------------------------------------------------------
    // An unbounded batch's submit() does not take the pool's lock: under intakeMutex (held for
    // a push, by producers, and for a swap, by whoever drains) it appends to the batch's
    // `incoming`, and the pool's lock holder moves those into the queues (drainIntake_locked)
    // before it dispatches or reads queues and counters, so every caller still sees every
    // submitted task. Producers and workers no longer take turns on one lock per task.
    //
    // What a producer reads under intakeMutex alone (the batch map, a batch's canceled, closed
    // and maxQueued, shuttingDown, nextTaskId) is written with both locks held. Lock order: the
    // pool's lock, then intakeMutex.
    //
    // A producer that skips the pool's lock cannot wake anyone, so it takes it when needLock
    // is non-zero: while a worker is parked (not napping) and while there are fewer threads
    // than the target (a napping worker is not counted: a task that finds only napping
    // workers starts when the nap ends, within LingerUs). A parking worker counts itself in
    // needLock and then checks
    // intakePending; the producer whose push makes the intake non-empty sets intakePending and
    // then checks needLock (both seq_cst), so one of them always sees the other. Pushes to a
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
    void drainIntake_locked();
    void swapIntake_held(); // both locks held
    void queueDrained_locked();
    void syncThreadHint_locked();
    void updateChunkHint_locked();
    Batch *find_locked(BatchId id) const;
    void count_locked(Batch &b, qint64 BatchCounters::*from, qint64 BatchCounters::*to);
    bool tryDispatch_locked(Dispatched &out, qint64 &nextEventNs);
    void promoteDueRetries_locked(qint64 nowNs);
    void complete_locked(Dispatched &job, TaskOutcome &&outcome);
    void finishTask_locked(Batch &b, const QueuedTask &task, ResultStatus status, bool transient,
                           QString message, QVariant detail);
    void cancelPending_locked(Batch &b);
    void refreshState_locked(Batch &b);
    void refreshAllStates_locked();
    void pushEvent_locked(bool wasEmpty);
    void wakeWorkers_locked(bool all);
    void spawnWorker_locked();
    void applyTarget_locked(int newTarget);
    void autoSample_locked(qint64 wallNs, qint64 cpuNs, qint64 steadyNowNs);
    bool isIdle_locked() const { return totals.pending() == 0; }
    qint64 runningNow_locked() const { return totals.running + activeChunks; }
    // Hands unstarted chunk tasks back to their batches' queues: of one batch, of the batches
    // at or below a priority level (other than `except`), or of all (nullptr, -1).
    void requeueBlocked_locked(Batch &b, QueuedTask &t, QString reason);
    bool reclaimChunks_locked(const Batch *only, int maxLevel = -1, const Batch *except = nullptr);
    void interruptChunks_locked() { reclaimChunks_locked(nullptr); }
    void returnToQueue_locked(Batch &b, std::vector<QueuedTask> &tasks, int from, int to);
    BatchCounters published_locked(const Batch *b) const; // nullptr: totals
    void enterRing_locked(Batch &b);
    int chunkSize_locked(const Batch &b) const;
    bool needsAnotherWorker_locked(const Batch &b) const;
    SubmitStatus waitForRoom_locked(PoolLock &lock, BatchId id, Batch *&b, QDeadlineTimer deadline);
    TaskId enqueue_locked(Batch &b, Task *tasks, qint64 count);
    static constexpr qint64 MaxTinyTaskNs = 20000; // tasks shorter than this are "tiny"
    static bool hasTinyTasks(const Batch &b)
    {
        return b.avgTaskNs >= 0 && b.avgTaskNs <= MaxTinyTaskNs && b.timedTasks >= 8;
    }
    void startTask_locked(Batch &b, QueuedTask &task, std::list<WorkerInfo>::iterator me);
    void recordDuration_locked(Batch &b, qint64 wallNs, qint64 tasks);

    // --- Worker thread -------------------------------------------------------------------------
    static void workerMain(std::shared_ptr<PoolEnginePrivate> self,
                           std::list<WorkerInfo>::iterator me);
    void runLoop(PoolLock &lock, std::list<WorkerInfo>::iterator me);
    bool waitForWork_locked(PoolLock &lock, qint64 nextEventNs, bool &linger, WorkerInfo &me);
    static constexpr int LingerUs = 300;
    TaskOutcome runTask(Batch &b, QueuedTask &task);
    void runOne(PoolLock &lock, Dispatched &job, std::list<WorkerInfo>::iterator me);
    void runChunk(PoolLock &lock, Dispatched &job, int size, std::list<WorkerInfo>::iterator me);
    void finishChunk_locked(Chunk &chunk, ChunkEnd &end, QVector<TaskResult> &results,
                            std::list<WorkerInfo>::iterator me);
};

} // namespace sluice
