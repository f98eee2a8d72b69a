// Time source for the pool's time-based policies (rate limit, retry backoff).
// Tests use ManualClock to make time-dependent behaviour deterministic.
#pragma once

#include <QtGlobal>
#include <functional>
#include <mutex>
#include <vector>

namespace sluice {

class Clock
{
public:
    virtual ~Clock();
    // Monotonic nanoseconds. Thread-safe.
    virtual qint64 nowNs() const = 0;
    // True when time only moves on advance(): the pool then never sleeps on a timeout for
    // clock-driven events and relies on the wake-up listeners instead.
    virtual bool isManual() const { return false; }
    // Called (from any thread) whenever a manual clock moves. Returns a handle for removal.
    virtual int addListener(std::function<void()> onAdvance);
    virtual void removeListener(int handle);
};

// std::chrono::steady_clock. Shared, stateless.
class SteadyClock final : public Clock
{
public:
    qint64 nowNs() const override;
    static SteadyClock *instance();
};

// A clock that moves only when told to. Thread-safe.
class ManualClock final : public Clock
{
public:
    explicit ManualClock(qint64 startNs = 0)
        : m_now(startNs)
    {}
    qint64 nowNs() const override;
    bool isManual() const override { return true; }
    int addListener(std::function<void()> onAdvance) override;
    void removeListener(int handle) override;

    void advanceNs(qint64 ns);
    void advanceMs(qint64 ms) { advanceNs(ms * 1000000); }

private:
    mutable std::mutex m_mutex;
    qint64 m_now;
    int m_nextHandle = 1;
    std::vector<std::pair<int, std::function<void()>>> m_listeners;
};

} // namespace sluice
