#include "batchfeeder.h"

#include <QFileInfo>
#include <imagejob.h>
#include <inputscanner.h>

namespace sluice::app {

namespace {

// An archive entry without a declared size: assume a typical compressed photo.
constexpr qint64 EntryGuessBytes = 4 * 1024 * 1024;

qint64 inputBytesOf(const InputItem &item)
{
    if (item.sizeHint >= 0)
        return item.sizeHint;
    return item.isArchiveEntry() ? EntryGuessBytes : QFileInfo(item.sourcePath).size();
}

} // namespace

BatchFeeder::BatchFeeder(PoolEngine &engine, BatchId batch, std::shared_ptr<const Recipe> recipe,
                         std::shared_ptr<Sink> sink, std::shared_ptr<ItemLog> log, FeedPlan plan,
                         TaskHook hook, QObject *parent)
    : QThread(parent)
    , m_engine(engine)
    , m_batch(batch)
    , m_recipe(std::move(recipe))
    , m_sink(std::move(sink))
    , m_log(std::move(log))
    , m_plan(std::move(plan))
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
    while (!m_stop.load()) {
        const std::optional<InputItem> item = scanner.next();
        if (!item || !submitItem(*item))
            return;
    }
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
    std::shared_ptr<const Recipe> recipe = m_recipe;
    std::shared_ptr<Sink> sink = m_sink; // tasks keep the sink alive, even abandoned ones
    TaskHook hook = m_hook;
    TaskFunction run = [item, recipe, sink, hook](const TaskContext &ctx) {
        if (hook)
            hook(ctx);
        return processImage(item, *recipe, *sink, ctx);
    };
    const qint64 cost = estimateCostBytes(inputBytesOf(item), *m_recipe);
    if (!m_engine.submit(m_batch, Task(std::move(run), cost, tag)))
        return false;
    ++m_submitted;
    return true;
}

} // namespace sluice::app
