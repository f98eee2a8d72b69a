#include "batchfeeder.h"

#include "imagejob.h"

namespace sluice {

BatchFeeder::BatchFeeder(PoolEngine &engine, BatchId batch, std::shared_ptr<const Recipe> recipe,
                         std::shared_ptr<Sink> sink, std::shared_ptr<ItemLog> log, FeedPlan plan,
                         std::shared_ptr<Journal> journal, TaskHook hook, QObject *parent)
    : QThread(parent)
    , m_engine(engine)
    , m_batch(batch)
    , m_recipe(std::move(recipe))
    , m_sink(std::move(sink))
    , m_log(std::move(log))
    , m_plan(std::move(plan))
    , m_journal(std::move(journal))
    , m_hook(std::move(hook))
{}

void BatchFeeder::run()
{
    if (m_plan.items.empty())
        scanInputs();
    else
        replayItems();
    m_engine.closeBatch(m_batch);
    emit scanFinished(m_batch, m_submitted.load());
}

void BatchFeeder::scanInputs()
{
    InputScanner scanner(m_plan.inputs, m_recipe->limits);
    scanner.setExcludedPaths(m_plan.excludedPaths);
    scanner.setIncludeRootName(m_plan.includeRootName);
    scanner.setIncludeHidden(m_plan.includeHidden);
    while (!m_stop.load()) {
        const std::optional<InputItem> item = scanner.next();
        if (!item)
            break;
        if (m_plan.shardCount > 1 && item->shard(m_plan.shardCount) != m_plan.shardIndex) {
            ++m_outOfShard;
            continue;
        }
        if (!submitItem(*item))
            break;
    }
    m_counters = scanner.counters();
}

void BatchFeeder::replayItems()
{
    for (const InputItem &item : m_plan.items) {
        if (m_stop.load() || !submitItem(item))
            return;
    }
}

// Blocks while the batch's queue is full. False when the batch no longer takes tasks
// (canceled, or the pool shut down).
bool BatchFeeder::submitItem(const InputItem &item)
{
    const quint64 tag = m_log->append(item);
    Task task =
        makeJobTask(item, tag, m_recipe, m_sink, m_journal, costOf(item, *m_recipe), m_hook);
    if (!m_engine.submit(m_batch, std::move(task)))
        return false;
    ++m_submitted;
    return true;
}

} // namespace sluice
