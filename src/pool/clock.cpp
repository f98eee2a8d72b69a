#include "clock.h"

#include <algorithm>
#include <chrono>

namespace sluice {

Clock::~Clock() = default;

int Clock::addListener(std::function<void()>)
{
    return 0;
}

void Clock::removeListener(int) {}

qint64 SteadyClock::nowNs() const
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

SteadyClock *SteadyClock::instance()
{
    static SteadyClock clock;
    return &clock;
}

qint64 ManualClock::nowNs() const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_now;
}

int ManualClock::addListener(std::function<void()> onAdvance)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    m_listeners.emplace_back(m_nextHandle, std::move(onAdvance));
    return m_nextHandle++;
}

void ManualClock::removeListener(int handle)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    m_listeners.erase(std::remove_if(m_listeners.begin(), m_listeners.end(),
                                     [handle](const auto &l) { return l.first == handle; }),
                      m_listeners.end());
}

void ManualClock::advanceNs(qint64 ns)
{
    std::vector<std::function<void()>> toCall;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_now += ns;
        for (const auto &l : m_listeners)
            toCall.push_back(l.second);
    }
    // Outside our lock: a listener takes the pool's lock, and the pool reads nowNs() under it.
    for (const auto &fn : toCall)
        fn();
}

} // namespace sluice
