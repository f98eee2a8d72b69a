#include "batchrings_p.h"

#include <algorithm>

namespace sluice {

bool BatchRings::add(Batch &b)
{
    if (b.inRing)
        return false;
    m_rings[int(b.priority)].push_back(&b);
    b.inRing = true;
    return true;
}

void BatchRings::remove(Batch &b)
{
    if (!b.inRing)
        return;
    Ring &ring = m_rings[int(b.priority)];
    ring.erase(std::remove(ring.begin(), ring.end(), &b), ring.end());
    b.inRing = false;
}

void BatchRings::forget(const Batch *b)
{
    for (Ring &ring : m_rings)
        ring.erase(std::remove(ring.begin(), ring.end(), b), ring.end());
}

void BatchRings::dropAt(int priority, size_t i)
{
    Ring &ring = m_rings[priority];
    ring[i]->inRing = false;
    ring.erase(ring.begin() + qsizetype(i));
}

void BatchRings::servedAt(int priority, size_t i)
{
    Ring &ring = m_rings[priority];
    Batch *b = ring[i];
    if (b->queue.empty()) {
        b->inRing = false;
        ring.erase(ring.begin() + qsizetype(i));
    } else if (ring.size() > 1) {
        ring.erase(ring.begin() + qsizetype(i));
        ring.push_back(b); // round-robin: to the back of its level
    }
}

bool BatchRings::anyAbove(int priority) const
{
    for (int level = priority + 1; level < PriorityLevels; ++level) {
        if (!m_rings[level].empty())
            return true;
    }
    return false;
}

bool BatchRings::othersAt(const Batch &b) const
{
    const Ring &ring = m_rings[int(b.priority)];
    return ring.size() > 1 || (ring.size() == 1 && ring.front() != &b);
}

} // namespace sluice
