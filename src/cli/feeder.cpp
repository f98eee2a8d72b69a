#include "feeder.h"

#include <QFileInfo>
#include <QMutexLocker>
#include <imagejob.h>
#include <jobtask.h>

namespace sluice::cli {

quint64 ItemLog::append(Entry entry)
{
    QMutexLocker lock(&m_mutex);
    m_entries.push_back(std::move(entry));
    return quint64(m_entries.size() - 1);
}

ItemLog::Entry ItemLog::at(quint64 tag) const
{
    QMutexLocker lock(&m_mutex);
    return tag < m_entries.size() ? m_entries[size_t(tag)] : Entry{};
}

qint64 ItemLog::size() const
{
    QMutexLocker lock(&m_mutex);
    return qint64(m_entries.size());
}

Feeder::Feeder(PoolEngine &engine, BatchId batch, std::shared_ptr<const Recipe> recipe, Sink &sink,
               ItemLog &log, FeedSettings settings, std::shared_ptr<Journal> journal,
               QObject *parent)
    : QThread(parent)
    , m_engine(engine)
    , m_batch(batch)
    , m_recipe(std::move(recipe))
    , m_sink(std::shared_ptr<Sink>(), &sink)
    , m_log(log)
    , m_settings(std::move(settings))
    , m_journal(std::move(journal))
{}

void Feeder::run()
{
    InputScanner scanner(m_settings.inputs, m_recipe->limits);
    scanner.setExcludedPaths(m_settings.excludedPaths);
    while (!m_stop.load()) {
        const std::optional<InputItem> item = scanner.next();
        if (!item)
            break;
        if (m_settings.shardCount > 1 &&
            item->shard(m_settings.shardCount) != m_settings.shardIndex) {
            ++m_outOfShard;
            continue;
        }
        if (!submitItem(*item))
            break;
    }
    m_counters = scanner.counters();
    m_engine.closeBatch(m_batch);
    emit scanFinished(m_submitted.load());
}

// Blocks while the batch's queue is full. False when the batch no longer takes tasks
// (canceled, or the pool shut down on an interrupt).
bool Feeder::submitItem(const InputItem &item)
{
    const quint64 tag = m_log.append(
        {item.sourcePath, item.isArchiveEntry() ? item.entryName : QString(), item.relativePath});
    const SubmitResult result = m_engine.submit(
        m_batch, makeJobTask(item, tag, m_recipe, m_sink, m_journal, costOf(item, *m_recipe)));
    if (!result)
        return false;
    ++m_submitted;
    return true;
}

} // namespace sluice::cli
