// Decides the worker count in Auto mode from what the workers measured in the last interval.
// Pure logic, no threads: the pool feeds it samples, tests feed it numbers.
#pragma once

#include <QtGlobal>

namespace sluice {

struct AutoSample
{
    qint64 intervalNs = 0;   // wall time the sample covers
    qint64 taskWallNs = 0;   // sum over finished tasks of their wall time
    qint64 taskCpuNs = 0;    // sum over finished tasks of their thread CPU time
    qint64 tasks = 0;        // tasks that finished in the interval
    bool backlog = false;    // tasks were waiting for a worker at the end of the interval
    double machineIdle = -1; // idle share of all cores in the interval, 0..1; < 0 if unknown
};

class AutoScaler
{
public:
    AutoScaler(int cores, int cap);

    int cores() const { return m_cores; }
    int cap() const { return m_cap; }
    void setCap(int cap);
    int target() const { return m_target; }

    // Feeds one interval's measurements; returns the new target.
    // Grows while there is backlog and tasks mostly wait (CPU time well under wall time): at
    // once when they barely compute (< 20 % CPU), and only with idle cores on the machine when
    // they compute somewhat (20-50 %). Falls back towards the core count when the tasks are
    // CPU-bound, or compute somewhat on a saturated machine.
    int update(const AutoSample &sample);
    // Called when the pool has been idle: back to the core count.
    void reset() { m_target = m_cores; }

private:
    int m_cores;
    int m_cap;
    int m_target;
};

} // namespace sluice
