// The batch rings: one ring per priority level of the batches that have queued tasks, in
// round-robin order (private to src/pool). The dispatcher walks them from the highest level
// down and serves the first batch whose next task may start; a served batch goes to the back of
// its ring, so that a big batch does not starve a small one dropped later.
//
// Ownership and threads: PoolEnginePrivate::rings holds plain pointers to batches owned by
// PoolEnginePrivate::batches, and keeps each batch's `inRing` flag in step. Called with the
// pool's lock held only. Not thread-safe. The dispatcher's helpers are inline: it calls them for
// every task it hands out.
#pragma once

#include "batch_p.h"

#include <deque>

namespace sluice {

class BatchRings
{
public:
    using Ring = std::deque<Batch *>;

    Ring &level(int priority) { return m_rings[priority]; }
    const Ring &level(int priority) const { return m_rings[priority]; }

    // Puts the batch at the back of its level's ring, unless it is in it. True when it was not.
    bool add(Batch &b)
    {
        if (b.inRing)
            return false;
        m_rings[int(b.priority)].push_back(&b);
        b.inRing = true;
        return true;
    }
    // Takes the batch out of its level's ring, if it is in it.
    void remove(Batch &b);
    // Takes the batch out of every ring, for a batch that is being destroyed.
    void forget(const Batch *b);
    // The batch at position i of a level leaves its ring (it has nothing queued).
    void dropAt(int priority, size_t i)
    {
        Ring &ring = m_rings[priority];
        ring[i]->inRing = false;
        ring.erase(ring.begin() + qsizetype(i));
    }
    // The batch at position i of a level was just served: it leaves when its queue is empty,
    // and goes to the back otherwise (round-robin).
    void servedAt(int priority, size_t i)
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

    // Some batch waits at a level above `priority` (ready or not).
    bool anyAbove(int priority) const
    {
        for (int level = priority + 1; level < PriorityLevels; ++level) {
            if (!m_rings[level].empty())
                return true;
        }
        return false;
    }
    // A batch other than `b` waits at b's level.
    bool othersAt(const Batch &b) const
    {
        const Ring &ring = m_rings[int(b.priority)];
        return ring.size() > 1 || (ring.size() == 1 && ring.front() != &b);
    }

private:
    Ring m_rings[PriorityLevels]; // batches with queued tasks
};

} // namespace sluice
