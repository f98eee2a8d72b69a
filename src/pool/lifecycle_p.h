// The engine's lifecycle: one explicit state and the rules of each state, in one place (private
// to src/pool).
//
// Ownership and threads: PoolEnginePrivate::lifecycle. Only shutdown() and ~PoolEngine() move
// it, through PoolEnginePrivate::advanceLifecycle_locked(), with both the pool's lock and
// intakeMutex held; so either lock is enough to read it. Producers in submit() read it under
// intakeMutex alone (see intake.cpp); everyone else reads it under the pool's lock.
#pragma once

#include <QtGlobal>

namespace sluice {

// The states only move forward: Running -> ShuttingDown -> Stopping -> Detached.
//
// | state        | accepts work | dispatches, keeps workers, starts threads | idle workers nap |
// |              |              |                                           | and time out     |
// |--------------|--------------|-------------------------------------------|------------------|
// | Running      | yes          | yes                                       | yes              |
// | ShuttingDown | no           | yes                                       | no               |
// | Stopping     | no           | no                                        | no               |
// | Detached     | no           | no                                        | no               |
//
// Running       The normal state.
// ShuttingDown  shutdown() is running. Nothing new is accepted: createBatch() returns 0, a
//               submit is refused (PoolShutDown), tasks found in the intake are canceled, a
//               transient failure or Blocked outcome is canceled instead of retried or requeued.
//               Running tasks finish until the deadline; waiters on the end of the drain are
//               woken as tasks end; a new worker target is recorded but wakes no one.
// Stopping      shutdown() has returned. Workers leave at their next task boundary (a parked one
//               is woken for it), no thread starts and nothing is dispatched.
// Detached      The PoolEngine object is gone. A task that was abandoned past the deadline and
//               returns later is counted as canceled; nothing is recorded for a listener.
//
// The global pause (PoolEnginePrivate::pausedAll) is not a state here: it is orthogonal to the
// lifecycle. A running pool is paused or not, pause and resume come and go at any time, the
// flag survives shutdown (isPausedAll() still reports it), and a shut-down pool that was paused
// is both. As a state it would need a paused twin of Running and ShuttingDown.
enum class Lifecycle : quint8
{
    Running,
    ShuttingDown,
    Stopping,
    Detached
};

class PoolLifecycle
{
public:
    Lifecycle state() const { return m_state; }
    // Forward only: a second shutdown() does not bring a stopped pool back to ShuttingDown.
    void advanceTo(Lifecycle next)
    {
        if (next > m_state)
            m_state = next;
    }

    // New batches and tasks, retries and requeues are taken only while Running.
    bool acceptsWork() const { return m_state == Lifecycle::Running; }
    // shutdown() was called (isShutDown()): the opposite of acceptsWork().
    bool isShutDown() const { return m_state != Lifecycle::Running; }
    // Workers stay, threads start and the dispatcher hands out tasks until Stopping.
    bool keepsWorkers() const { return m_state < Lifecycle::Stopping; }
    // An idle worker may nap for tiny tasks, and leave after the idle timeout, only while
    // Running: during a shutdown it waits to be told to leave.
    bool idlesNormally() const { return m_state == Lifecycle::Running; }
    // Nobody listens any more: a task that returns now is counted as canceled and dropped.
    bool isDetached() const { return m_state == Lifecycle::Detached; }

private:
    Lifecycle m_state = Lifecycle::Running;
};

} // namespace sluice
