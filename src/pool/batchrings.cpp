#include "batchrings_p.h"

#include <algorithm>

namespace sluice {

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

} // namespace sluice
