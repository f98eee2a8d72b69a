// What a batch's feeder submitted, indexed by the task tag: the InputItem itself, so that
// "retry failed" can submit the very same items again (archive entries included) without
// scanning. Appended by the feeder thread, read by the owner's thread. Thread-safe.
#pragma once

#include <QMutex>
#include <inputitem.h>
#include <vector>

namespace sluice {

class ItemLog
{
public:
    quint64 append(const InputItem &item);
    InputItem at(quint64 tag) const; // a default item for an unknown tag
    qint64 size() const;

private:
    mutable QMutex m_mutex;
    std::vector<InputItem> m_items; // guarded by m_mutex
};

} // namespace sluice
