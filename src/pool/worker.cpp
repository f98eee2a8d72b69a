// The worker thread: its loop (dispatch, run, report), waiting for work (napping for tiny tasks
// or parking), running one task, and the measurements Auto mode steers by. Chunks of tiny tasks
// are in chunk.cpp.
#include "poolengine_p.h"

#include <QFile>
#include <cstdio>
#include <ctime>
#include <fcntl.h>
#include <thread>
#include <unistd.h>

namespace sluice {

namespace {

// Busy and total jiffies of the whole machine, from /proc/stat (Linux). False elsewhere.
bool readMachineTicks(quint64 &busy, quint64 &total)
{
    QFile f(QStringLiteral("/proc/stat"));
    if (!f.open(QIODevice::ReadOnly))
        return false;
    const QList<QByteArray> fields = f.readLine().simplified().split(' ');
    if (fields.size() < 5 || fields.at(0) != "cpu")
        return false;
    total = 0;
    quint64 idle = 0;
    for (int i = 1; i < fields.size(); ++i) {
        const quint64 v = fields.at(i).toULongLong();
        total += v;
        if (i == 4 || i == 5) // idle, iowait
            idle += v;
    }
    busy = total - idle;
    return true;
}

} // namespace

// Time this thread has spent runnable but waiting for a core (the second field of
// /proc/thread-self/schedstat), 0 where the kernel does not say. Auto takes it out of a task's
// wall time: on a machine loaded by other programs, a CPU-bound task waits for a core most of
// the time and would otherwise look like one waiting for I/O, and Auto would add threads that
// only wait longer. One pread() of a descriptor kept open per thread.
qint64 PoolEnginePrivate::threadWaitNs()
{
#if defined(Q_OS_LINUX)
    thread_local int fd = ::open("/proc/thread-self/schedstat", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    char text[96];
    const ssize_t n = ::pread(fd, text, sizeof(text) - 1, 0);
    if (n <= 0)
        return 0;
    text[n] = 0;
    unsigned long long running = 0, waiting = 0;
    if (std::sscanf(text, "%llu %llu", &running, &waiting) != 2)
        return 0;
    return qint64(waiting);
#else
    return 0;
#endif
}

qint64 PoolEnginePrivate::threadCpuNs()
{
    timespec ts{};
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
        return 0;
    return qint64(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

void PoolEnginePrivate::spawnWorker_locked()
{
    if (!lifecycle.keepsWorkers())
        return;
    auto me = workers.emplace(workers.end());
    ++liveThreads;
    syncThreadHint_locked();
    std::thread(&PoolEnginePrivate::workerMain, shared_from_this(), me).detach();
}

void PoolEnginePrivate::workerMain(std::shared_ptr<PoolEnginePrivate> self,
                                   std::list<WorkerInfo>::iterator me)
{
    PoolLock lock(self->mutex);
    self->runLoop(lock, me);
    const bool exitsParked = me->exitsParked;
    self->workers.erase(me);
    --self->liveThreads;
    self->syncThreadHint_locked();
    if (exitsParked)
        self->needLock.fetch_sub(1, std::memory_order_seq_cst);
    // A thread that retired after being woken (the target shrank) used up that wake-up: pass
    // it on, so queued work does not wait for another thread's idle timeout.
    if (self->lifecycle.keepsWorkers()) {
        self->drainIntake_locked();
        if (self->totals.queued > 0)
            self->wakeWorkers_locked(false);
    }
    self->progressMade.notify_all();
    lock.unlock();
    // `self` may be the last reference: the engine's state is freed here, on this thread.
}

void PoolEnginePrivate::runLoop(PoolLock &lock, std::list<WorkerInfo>::iterator me)
{
    Dispatched job;
    bool linger = false; // just served an open batch of tiny tasks: more are likely coming
    for (;;) {
        if (!lifecycle.keepsWorkers() || liveThreads > target)
            return; // task boundary: retire
        qint64 nextEventNs = -1;
        if (!tryDispatch_locked(job, nextEventNs)) {
            if (!waitForWork_locked(lock, nextEventNs, linger, *me))
                return;
            continue;
        }
        linger = hasTinyTasks(*job.batch) && !job.batch->closed;
        const int chunk = chunkSize_locked(*job.batch);
        // More work than this worker is taking: make sure someone else comes for it (submits
        // of tiny tasks may have skipped the wake-up, counting on this worker). A chunk is only
        // made when no worker is parked, and napping ones come back by themselves.
        if (totals.queued > qint64(chunk) && (chunk == 1 || liveThreads < target))
            wakeWorkers_locked(false);
        if (chunk > 1)
            runChunk(lock, job, chunk, me);
        else
            runOne(lock, job, me);
        if (lifecycle.isDetached())
            return;
        // Freed memory may let an idle thread start a task this one cannot take alone.
        if (idleThreads > 0 && totals.queued > 0 && policy.hasMemoryBudget())
            workAvailable.notify_one();
        job = Dispatched();
    }
}

// Waits for something to do. Returns false when this thread should exit (idle too long).
bool PoolEnginePrivate::waitForWork_locked(PoolLock &lock, qint64 nextEventNs, bool &linger,
                                           WorkerInfo &me)
{
    // A producer feeding tiny tasks is usually just behind the workers. Instead of parking
    // until woken (a wake-up per task costs far more than the task), linger: nap briefly
    // while submits do not wake us, then take what piled up in one chunk. Stop lingering as
    // soon as a nap sees no new submission.
    if (linger && !pausedAll && lifecycle.idlesNormally()) {
        linger = nap_locked(lock);
        return true;
    }
    return park_locked(lock, nextEventNs, me);
}

// One nap of LingerUs. Returns whether to linger on: something was submitted meanwhile.
bool PoolEnginePrivate::nap_locked(PoolLock &lock)
{
    const quint64 seen = submitCount;
    ++idleThreads;
    ++lingering;
    workAvailable.wait_for(lock, std::chrono::microseconds(LingerUs));
    --lingering;
    --idleThreads;
    if (wakesPending > 0)
        --wakesPending;
    return submitCount != seen || intakePending.load(std::memory_order_relaxed) != 0;
}

// Parks until woken, until the next time-based event (nextEventNs, -1: none), or until the idle
// timeout. Returns false when this thread should exit (idle too long).
bool PoolEnginePrivate::park_locked(PoolLock &lock, qint64 nextEventNs, WorkerInfo &me)
{
    const auto idleDeadline =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(idleTimeoutMs);
    auto wakeAt = idleDeadline;
    if (nextEventNs >= 0 && !clock->isManual()) {
        const qint64 inNs = qMax<qint64>(0, nextEventNs - clock->nowNs());
        wakeAt =
            std::min(wakeAt, std::chrono::steady_clock::now() + std::chrono::nanoseconds(inNs));
    }
    if (parkingHook)
        parkingHook();
    // Parked: submits must take the lock to wake us (see needLock). A task submitted before
    // they could know is in the intake: look once more.
    needLock.fetch_add(1, std::memory_order_seq_cst);
    if (intakePending.load(std::memory_order_seq_cst) != 0) {
        needLock.fetch_sub(1, std::memory_order_seq_cst);
        return true;
    }
    ++idleThreads;
    const std::cv_status st = workAvailable.wait_until(lock, wakeAt);
    --idleThreads;
    if (wakesPending > 0)
        --wakesPending;
    if (st == std::cv_status::timeout && std::chrono::steady_clock::now() >= idleDeadline &&
        lifecycle.idlesNormally()) {
        drainIntake_locked();
        if (isIdle_locked()) {
            if (autoMode) {
                scaler.reset();
                target = scaler.target();
            }
            // Still counted as parked until workerMain has counted the thread out.
            me.exitsParked = true;
            return false;
        }
    }
    needLock.fetch_sub(1, std::memory_order_seq_cst);
    return true;
}

void PoolEnginePrivate::startTask_locked(Batch &b, QueuedTask &task,
                                         std::list<WorkerInfo>::iterator me)
{
    if (!b.started) {
        b.started = true;
        b.firstDispatchNs = steadyNowNs();
    }
    refreshState_locked(b);
    if (b.blockedProducers > 0)
        roomInQueue.notify_all();
    me->currentTask.store(task.id, std::memory_order_relaxed);
}

// One task, counted as running for its whole run. Entered and left with the lock held.
void PoolEnginePrivate::runOne(PoolLock &lock, Dispatched &job, std::list<WorkerInfo>::iterator me)
{
    Batch &b = *job.batch;
    ++job.task.attempts;
    count_locked(b, &BatchCounters::queued, &BatchCounters::running);
    policy.started(b, job.task.cost, job.nowNs, &job);
    peakRunning = qMax<int>(peakRunning, int(runningNow_locked()));
    startTask_locked(b, job.task, me);
    const bool measureCpu = autoMode;
    lock.unlock();

    const qint64 wall0 = steadyNowNs();
    const qint64 cpu0 = measureCpu ? threadCpuNs() : 0;
    const qint64 wait0 = measureCpu ? threadWaitNs() : 0;
    TaskOutcome outcome = runTask(b, job.task);
    const qint64 wallNs = steadyNowNs() - wall0;
    const qint64 cpuNs = measureCpu ? threadCpuNs() - cpu0 : 0;
    const qint64 waitNs = measureCpu ? threadWaitNs() - wait0 : 0;
    if (outcome.kind != OutcomeKind::TransientFailure && outcome.kind != OutcomeKind::Blocked)
        job.task.run = nullptr; // release the callable's captures outside the lock

    lock.lock();
    me->currentTask.store(0, std::memory_order_relaxed);
    if (lifecycle.isDetached()) {
        // Abandoned after a shutdown deadline and the engine is gone: nobody listens.
        count_locked(b, &BatchCounters::running, &BatchCounters::canceled);
        return;
    }
    recordDuration_locked(b, wallNs, 1);
    policy.finished(job.task.cost);
    complete_locked(job, std::move(outcome));
    if (measureCpu)
        autoSample_locked(wallNs - waitNs, cpuNs, steadyNowNs());
}

void PoolEnginePrivate::recordDuration_locked(Batch &b, qint64 wallNs, qint64 tasks)
{
    if (tasks <= 0)
        return;
    const qint64 perTask = wallNs / tasks;
    b.avgTaskNs = b.avgTaskNs < 0 ? perTask : (b.avgTaskNs * 3 + perTask) / 4;
    b.timedTasks += int(qMin<qint64>(tasks, 1 << 20));
}

void PoolEnginePrivate::autoSample_locked(qint64 wallNs, qint64 cpuNs, qint64 steadyNow)
{
    window.taskWallNs += wallNs;
    window.taskCpuNs += cpuNs;
    ++window.tasks;
    if (windowStartNs == 0) {
        windowStartNs = steadyNow;
        readMachineTicks(machineBusyTicks, machineTotalTicks);
        return;
    }
    if (steadyNow - windowStartNs < autoIntervalNs)
        return;
    window.intervalNs = steadyNow - windowStartNs;
    drainIntake_locked(); // the backlog includes what waits in the intake
    window.backlog = totals.queued > 0;
    quint64 busy = 0, total = 0;
    window.machineIdle = -1;
    if (readMachineTicks(busy, total) && total > machineTotalTicks) {
        const double dTotal = double(total - machineTotalTicks);
        window.machineIdle = 1.0 - double(busy - machineBusyTicks) / dTotal;
        machineBusyTicks = busy;
        machineTotalTicks = total;
    }
    const int next = scaler.update(window);
    window = AutoSample();
    windowStartNs = steadyNow;
    if (next != target)
        applyTarget_locked(next);
}

} // namespace sluice
