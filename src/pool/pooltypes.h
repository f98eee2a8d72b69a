// Plain data shared by the pool engine, its facade and its users.
// Nothing here is a QObject: a million queued tasks cost a million small structs, not QObjects.
#pragma once

#include <QMetaType>
#include <QString>
#include <QVariant>
#include <QtGlobal>
#include <atomic>
#include <functional>

namespace sluice {

using BatchId = quint64; // 0 is never a valid batch
using TaskId = quint64;  // unique within one pool, assigned at submit

enum class Priority : quint8
{
    Low = 0,
    Normal = 1,
    High = 2
};
constexpr int PriorityLevels = 3;

// What one run of a task reports. Transient failures may be retried; permanent ones never are.
enum class OutcomeKind : quint8
{
    Done,
    Skipped,
    TransientFailure,
    PermanentFailure,
    Canceled,
    // The task cannot make progress until a person acts (the output disk is full). It goes
    // back to the front of its batch's queue without using up an attempt, and the batch is
    // paused with the message as its reason (PoolEngine::pauseReason), instead of burning
    // retries. Resuming the batch runs it again.
    Blocked
};

struct TaskOutcome
{
    OutcomeKind kind = OutcomeKind::Done;
    QString message; // a reason a person understands, for failures
    QVariant detail; // free payload for the caller (output path, dimensions, ...)

    static TaskOutcome done(QVariant detail = {})
    {
        return {OutcomeKind::Done, {}, std::move(detail)};
    }
    static TaskOutcome skipped(QString why = {}, QVariant detail = {})
    {
        return {OutcomeKind::Skipped, std::move(why), std::move(detail)};
    }
    static TaskOutcome transientFailure(QString why)
    {
        return {OutcomeKind::TransientFailure, std::move(why), {}};
    }
    static TaskOutcome permanentFailure(QString why)
    {
        return {OutcomeKind::PermanentFailure, std::move(why), {}};
    }
    static TaskOutcome canceled() { return {OutcomeKind::Canceled, {}, {}}; }
    static TaskOutcome blocked(QString why) { return {OutcomeKind::Blocked, std::move(why), {}}; }
};

// Handed to a running task. All calls are cheap and thread-safe.
class TaskContext
{
public:
    TaskContext(const std::atomic<bool> *cancelFlag, TaskId task, BatchId batch, int attempt)
        : m_cancel(cancelFlag)
        , m_task(task)
        , m_batch(batch)
        , m_attempt(attempt)
    {}
    // The cancellation token: one relaxed atomic load. Poll it between steps and return
    // TaskOutcome::canceled() (leaving no output behind) when it is set.
    bool isCanceled() const { return m_cancel->load(std::memory_order_relaxed); }
    TaskId taskId() const { return m_task; }
    BatchId batchId() const { return m_batch; }
    int attempt() const { return m_attempt; } // 1 for the first run

private:
    const std::atomic<bool> *m_cancel;
    TaskId m_task;
    BatchId m_batch;
    int m_attempt;
};

using TaskFunction = std::function<TaskOutcome(const TaskContext &)>;

// A unit of work: a callable plus metadata. Plain data; moved into the pool on submit.
struct Task
{
    TaskFunction run;
    qint64 costBytes = 0; // peak memory estimate, for the memory budget
    quint64 tag = 0;      // caller's own key, echoed in the result

    Task() = default;
    Task(TaskFunction fn, qint64 cost = 0, quint64 userTag = 0)
        : run(std::move(fn))
        , costBytes(cost)
        , tag(userTag)
    {}
};

// The terminal outcome of a task, after any retries. Exactly one per submitted task.
enum class ResultStatus : quint8
{
    Done,
    Skipped,
    Failed,
    Canceled
};

struct TaskResult
{
    TaskId taskId = 0;
    BatchId batchId = 0;
    quint64 tag = 0;
    ResultStatus status = ResultStatus::Done;
    bool transient = false; // for Failed: the last failure was transient (retries exhausted)
    int attempts = 0;       // runs made; 0 when canceled before its first run
    QString message;
    QVariant detail;
};

enum class BatchState : quint8
{
    Queued,    // nothing has run yet
    Running,   // dispatching
    Pausing,   // paused, running tasks still draining
    Paused,    // paused, nothing running
    Canceling, // canceled, running tasks still draining
    Finished,  // closed and every task terminal
    Canceled   // canceled and every task terminal
};

// Finished or Canceled: the batch's counters no longer change.
inline bool isTerminal(BatchState state)
{
    return state == BatchState::Finished || state == BatchState::Canceled;
}

struct BatchCounters
{
    qint64 submitted = 0;
    qint64 queued = 0; // waiting for dispatch, including retries that are due
    qint64 running = 0;
    qint64 retrying = 0; // waiting out a backoff delay
    qint64 done = 0;
    qint64 failed = 0;
    qint64 skipped = 0;
    qint64 canceled = 0;

    qint64 terminal() const { return done + failed + skipped + canceled; }
    qint64 pending() const { return queued + running + retrying; }
    // The invariant that says nothing was lost.
    bool addsUp() const { return pending() + terminal() == submitted; }
    bool operator==(const BatchCounters &o) const
    {
        return submitted == o.submitted && queued == o.queued && running == o.running &&
               retrying == o.retrying && done == o.done && failed == o.failed &&
               skipped == o.skipped && canceled == o.canceled;
    }
    bool operator!=(const BatchCounters &o) const { return !(*this == o); }
};

struct BatchSummary
{
    BatchId id = 0;
    QString name;
    BatchState state = BatchState::Queued;
    BatchCounters counters;
    qint64 elapsedMs = 0; // first dispatch to finish
};

// Token-bucket settings. rate <= 0 means unlimited.
struct RateLimit
{
    double perSecond = 0;
    double burst = 1;
    bool isUnlimited() const { return perSecond <= 0; }
};

struct BatchOptions
{
    QString name;
    Priority priority = Priority::Normal;
    RateLimit rate;       // per-batch limit, on top of the global one
    qint64 maxQueued = 0; // backpressure: submit blocks while this many are queued (0 = no bound)
};

struct RetryPolicy
{
    int maxAttempts = 3;      // total runs, including the first
    qint64 baseDelayMs = 200; // first backoff ceiling
    qint64 maxDelayMs = 10000;
};

enum class SubmitStatus : quint8
{
    Accepted,
    WouldBlock, // trySubmit only: the batch's queue bound is reached
    TimedOut,   // submit with a deadline: no room before it expired
    UnknownBatch,
    BatchClosed, // closeBatch() was called
    BatchCanceled,
    PoolShutDown
};

struct SubmitResult
{
    SubmitStatus status = SubmitStatus::Accepted;
    TaskId taskId = 0;
    qint64 accepted = 0; // tasks accepted (0 or 1, or up to the count for submitMany)
    explicit operator bool() const { return status == SubmitStatus::Accepted; }
};

struct PoolStats
{
    int workers = 0;       // live worker threads
    int targetWorkers = 0; // what the pool is steering towards (fixed N, or Auto's choice)
    qint64 running = 0;
    qint64 queued = 0;
    qint64 retrying = 0;
    qint64 completed = 0; // terminal results so far, all batches
    qint64 processed = 0; // of those, the tasks that did their work: done or failed
    qint64 runningCostBytes = 0;
    // Processed tasks per second, smoothed over about a second, filled by the facade: canceled
    // and skipped tasks are not work done (a cancel is no burst of speed), and after the pool
    // goes idle one more update brings it to 0.
    double throughput = 0;
};

QString toString(BatchState state);
QString toString(ResultStatus status);
// "done", "skipped", "failed", "canceled": machine-readable and never translated (reports,
// journals); toString() is for people.
QString statusKey(ResultStatus status);
QString toString(Priority priority);
QString toString(SubmitStatus status);

} // namespace sluice

Q_DECLARE_METATYPE(sluice::TaskResult)
Q_DECLARE_METATYPE(sluice::BatchSummary)
Q_DECLARE_METATYPE(sluice::BatchCounters)
Q_DECLARE_METATYPE(sluice::PoolStats)
Q_DECLARE_METATYPE(sluice::BatchState)
