// What one stage of the image job hands on: its output, or the outcome that ends the job there
// (a skip, a failure classified as transient or permanent, Blocked or Canceled).
//
//   StageResult<ResizePlan> plan = checkLimits(probe, recipe);
//   if (!plan)
//       return plan.stop();
//   use(*plan);
#pragma once

#include <optional>
#include <pooltypes.h>

namespace sluice {

template<typename T>
class StageResult
{
public:
    StageResult(T value)
        : m_value(std::move(value))
    {}
    StageResult(TaskOutcome stop)
        : m_stop(std::move(stop))
    {}

    explicit operator bool() const { return m_value.has_value(); }
    T &operator*() { return *m_value; }
    const T &operator*() const { return *m_value; }
    T *operator->() { return &*m_value; }
    const T *operator->() const { return &*m_value; }
    // The outcome the job ends with; only for a result without a value.
    const TaskOutcome &stop() const { return m_stop; }

private:
    std::optional<T> m_value;
    TaskOutcome m_stop;
};

} // namespace sluice
