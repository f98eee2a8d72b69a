#include "itemlog.h"

#include <QMutexLocker>

namespace sluice {

quint64 ItemLog::append(const InputItem &item)
{
    QMutexLocker lock(&m_mutex);
    m_items.push_back(item);
    return quint64(m_items.size() - 1);
}

InputItem ItemLog::at(quint64 tag) const
{
    QMutexLocker lock(&m_mutex);
    return tag < m_items.size() ? m_items[size_t(tag)] : InputItem{};
}

qint64 ItemLog::size() const
{
    QMutexLocker lock(&m_mutex);
    return qint64(m_items.size());
}

} // namespace sluice
