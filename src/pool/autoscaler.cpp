#include "autoscaler.h"

#include <cmath>

namespace sluice {

namespace {
// Tasks whose CPU time is under this share of their wall time are waiting, not computing.
constexpr double WaitingCpuShare = 0.5;
// Tasks above this share are CPU-bound: more threads than cores only adds switching.
constexpr double ComputingCpuShare = 0.8;
// With less than this share of the machine idle, more threads cannot run anyway...
constexpr double SaturatedIdleShare = 0.15;
// ...unless the tasks hardly compute at all (sleeping, network reads): then they need no CPU
// to wait, and a busy machine (a compiler in the background, other tests) is no reason to hold
// them back. Between this and WaitingCpuShare the share is ambiguous (CPU-bound tasks starved
// by other load look the same), and idle CPU decides.
constexpr double BarelyComputingCpuShare = 0.2;
} // namespace

AutoScaler::AutoScaler(int cores, int cap)
    : m_cores(qMax(1, cores))
    , m_cap(qMax(m_cores, cap))
    , m_target(m_cores)
{}

void AutoScaler::setCap(int cap)
{
    m_cap = qMax(m_cores, cap);
    m_target = qMin(m_target, m_cap);
}

int AutoScaler::update(const AutoSample &s)
{
    if (s.tasks <= 0 || s.taskWallNs <= 0)
        return m_target; // nothing measured: keep what we have
    const double cpuShare = qBound(0.0, double(s.taskCpuNs) / double(s.taskWallNs), 1.0);
    const bool saturated = s.machineIdle >= 0 && s.machineIdle < SaturatedIdleShare &&
                           cpuShare >= BarelyComputingCpuShare;

    if (cpuShare >= ComputingCpuShare || saturated) {
        // CPU-bound or no spare CPU: step back towards the core count.
        if (m_target > m_cores)
            m_target = qMax(m_cores, m_target - qMax(1, (m_target - m_cores + 1) / 2));
        return m_target;
    }
    if (s.backlog && cpuShare < WaitingCpuShare) {
        // Little's law: to keep `cores` busy when each task computes cpuShare of its time,
        // run cores / cpuShare of them. Jump there (at most doubling per interval) so a
        // network-drive batch reaches its speed within a second.
        const double wanted = double(m_cores) / qMax(cpuShare, 1e-3);
        const int next = int(std::ceil(qMin(wanted, double(m_target) * 2.0)));
        m_target = qBound(m_cores, qMax(next, m_target + 1), m_cap);
    }
    return m_target;
}

} // namespace sluice
