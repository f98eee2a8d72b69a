#include "batchmanager.h"

#include <QFile>
#include <QFileInfo>
#include <poolsetup.h>
#include <sink.h>
#include <zipsink.h>

namespace sluice::app {

namespace {

constexpr int DestructorDeadlineMs = 5000;
constexpr int FeederGraceMs = 2000;

} // namespace

BatchManager::BatchManager(const PoolConfig &config, QObject *parent)
    : QObject(parent)
    , m_pool(std::make_unique<WorkerPool>(config))
    , m_maxQueued(queueBoundFor(config))
{
    connect(m_pool.get(), &WorkerPool::shutdownFinished, this, &BatchManager::handleShutdownDone);
}

BatchManager::~BatchManager()
{
    for (auto &entry : m_batches)
        entry.second.runner->requestStop();
    if (m_pool && !m_pool->engine().isShutDown())
        m_pool->engine().shutdown(QDeadlineTimer(DestructorDeadlineMs));
    const QDeadlineTimer grace(FeederGraceMs);
    bool allStopped = true;
    for (auto &entry : m_batches)
        allStopped = entry.second.runner->waitForFeeder(grace) && allStopped;
    if (!allStopped)
        Q_UNUSED(m_pool.release()); // a stuck feeder may still call submit(): keep it valid
}

BatchId BatchManager::addBatch(const QStringList &inputs, const RecipeSettings &settings,
                               Priority priority, QString *error)
{
    if (inputs.isEmpty())
        return 0;
    if (const QString why = namingTemplateError(settings.recipe.nameTemplate); !why.isEmpty()) {
        if (error)
            *error = why;
        return 0;
    }
    BatchSpec spec;
    spec.name = batchNameFor(inputs);
    spec.inputs = inputs;
    spec.includeRootName = inputs.size() > 1; // one root: no extra folder level in the output
    spec.output = outputPathFor(inputs, settings.output);
    spec.recipe = settings.recipe;
    spec.includeHidden = settings.includeHidden;
    spec.priority = priority;
    spec.journaling = BatchSpec::Journaling::Fresh;
    return startBatch(std::move(spec), settings.output, error);
}

QList<Journal::Summary> BatchManager::unfinishedJobs() const
{
    return m_journalDirectory.isEmpty() ? QList<Journal::Summary>()
                                        : Journal::unfinished(m_journalDirectory);
}

BatchId BatchManager::resumeJob(const Journal::Summary &job, QString *error)
{
    BatchSpec spec;
    spec.name = job.spec.name.isEmpty() ? batchNameFor(job.spec.inputs) : job.spec.name;
    spec.inputs = job.spec.inputs;
    spec.includeRootName = job.spec.includeRootName;
    spec.includeHidden = job.spec.includeHidden;
    spec.output = job.spec.output;
    spec.recipe = job.spec.recipe;
    spec.shardIndex = job.spec.shardIndex;
    spec.shardCount = job.spec.shardCount;
    spec.journaling = BatchSpec::Journaling::Resume;
    OutputChoice choice;
    choice.zip = job.spec.outputIsZip();
    choice.folder = QFileInfo(job.spec.output).absolutePath();
    return startBatch(std::move(spec), choice, error);
}

bool BatchManager::discardJob(const Journal::Summary &job)
{
    if (!Journal::discard(job.path))
        return false;
    // A killed ZIP batch leaves its unfinished archive behind (ZipSink's "<name>.part").
    if (job.spec.outputIsZip())
        QFile::remove(ZipSink::temporaryPathFor(job.spec.output));
    return true;
}

BatchId BatchManager::retryFailed(BatchId id, QString *error)
{
    const Batch *batch = find(id);
    if (!batch || batch->runner->failedTags().isEmpty())
        return 0;
    const BatchRunner &runner = *batch->runner;
    BatchSpec spec;
    spec.name = tr("%1 (retry)").arg(batch->name);
    for (quint64 tag : runner.failedTags())
        spec.items.push_back(runner.input(tag));
    spec.output = runner.isZipOutput() ? retryZipPathFor(runner.outputPath()) : runner.outputPath();
    spec.recipe = runner.spec().recipe;
    spec.priority = batch->priority;
    return startBatch(std::move(spec), batch->outputChoice, error);
}

BatchId BatchManager::startBatch(BatchSpec spec, const OutputChoice &outputChoice, QString *error)
{
    if (m_shuttingDown)
        return 0;
    spec.journalDirectory = m_journalDirectory;
    spec.hook = m_hook;
    spec.maxQueued = m_maxQueued;
    Batch batch;
    batch.name = spec.name;
    batch.priority = spec.priority;
    batch.outputChoice = outputChoice;
    batch.runner = std::make_unique<BatchRunner>(*m_pool, std::move(spec));
    BatchRunner::StartError why;
    if (!batch.runner->start(&why)) {
        if (error)
            *error = why.message;
        return 0;
    }
    if (!batch.runner->journalWarning().isEmpty()) // the work need not stop for a journal
        qWarning("sluice: %s; this batch keeps no journal",
                 qPrintable(batch.runner->journalWarning()));
    BatchRunner *runner = batch.runner.get();
    connect(runner, &BatchRunner::itemsFinished, this, &BatchManager::itemsAdded);
    connect(runner, &BatchRunner::scanFinished, this, &BatchManager::scanFinished);
    connect(runner, &BatchRunner::outputClosed, this, &BatchManager::outputClosed);
    const BatchId id = runner->id();
    m_batches.emplace(id, std::move(batch));
    emit batchAdded(id);
    return id;
}

void BatchManager::pause(BatchId batch)
{
    m_pool->engine().pauseBatch(batch);
}

void BatchManager::resume(BatchId batch)
{
    m_pool->engine().resumeBatch(batch);
}

void BatchManager::cancel(BatchId id)
{
    if (Batch *batch = find(id))
        batch->runner->cancel();
}

void BatchManager::setPriority(BatchId id, Priority priority)
{
    Batch *batch = find(id);
    if (!batch || !batch->runner->isActive() || !m_pool->engine().setPriority(id, priority))
        return;
    batch->priority = priority;
    emit priorityChanged(id, priority);
}

bool BatchManager::remove(BatchId id)
{
    Batch *batch = find(id);
    if (!batch || batch->runner->isActive())
        return false;
    batch->runner->waitForFeeder(QDeadlineTimer::Forever); // it closed the batch long ago
    m_pool->engine().removeBatch(id);
    m_batches.erase(id);
    emit batchRemoved(id);
    return true;
}

void BatchManager::pauseAll()
{
    const bool was = isPausedAll();
    m_pool->engine().pauseAll();
    if (!was)
        emit pausedAllChanged(true);
}

bool BatchManager::isPausedAll() const
{
    return m_pool->engine().isPausedAll();
}

// "Resume all" in the window means every batch, also those paused one by one (the engine's
// resumeAll() only lifts the global pause).
void BatchManager::resumeAll()
{
    PoolEngine &engine = m_pool->engine();
    const bool was = engine.isPausedAll();
    engine.resumeAll();
    for (BatchId id : engine.batches())
        engine.resumeBatch(id);
    if (was)
        emit pausedAllChanged(false);
}

void BatchManager::cancelAll()
{
    for (auto &entry : m_batches)
        entry.second.runner->cancel();
    m_pool->engine().cancelAll();
}

QString BatchManager::name(BatchId id) const
{
    const Batch *batch = find(id);
    return batch ? batch->name : QString();
}

Priority BatchManager::priority(BatchId id) const
{
    const Batch *batch = find(id);
    return batch ? batch->priority : Priority::Normal;
}

QString BatchManager::outputPath(BatchId id) const
{
    const Batch *batch = find(id);
    return batch ? batch->runner->outputPath() : QString();
}

bool BatchManager::isZipOutput(BatchId id) const
{
    const Batch *batch = find(id);
    return batch && batch->runner->isZipOutput();
}

bool BatchManager::isScanning(BatchId id) const
{
    const Batch *batch = find(id);
    return batch && batch->runner->isScanning();
}

bool BatchManager::isActive(BatchId id) const
{
    const Batch *batch = find(id);
    return batch && batch->runner->isActive();
}

bool BatchManager::hasActiveBatches() const
{
    for (const auto &entry : m_batches) {
        if (entry.second.runner->isActive())
            return true;
    }
    return false;
}

qint64 BatchManager::failedCount(BatchId id) const
{
    const Batch *batch = find(id);
    return batch ? batch->runner->failedTags().size() : 0;
}

const QVector<ItemRecord> &BatchManager::items(BatchId id) const
{
    static const QVector<ItemRecord> none;
    const Batch *batch = find(id);
    return batch ? batch->runner->items() : none;
}

InputItem BatchManager::inputOf(BatchId id, quint64 tag) const
{
    const Batch *batch = find(id);
    return batch ? batch->runner->input(tag) : InputItem{};
}

void BatchManager::beginShutdown(int timeoutMs)
{
    if (m_shuttingDown)
        return;
    m_shuttingDown = true;
    for (auto &entry : m_batches)
        entry.second.runner->requestStop();
    // Running images get until the deadline; the GUI thread keeps serving the event loop.
    m_pool->shutdownInBackground(QDeadlineTimer(timeoutMs));
}

void BatchManager::handleShutdownDone(bool inTime)
{
    const QDeadlineTimer grace(FeederGraceMs);
    bool allStopped = true;
    for (auto &entry : m_batches) {
        entry.second.runner->closeAfterShutdown(); // left unfinished: offered at the next start
        if (!entry.second.runner->waitForFeeder(grace)) {
            qWarning("sluice: an input scan is stuck (unresponsive file system?); not waiting");
            allStopped = false;
        }
    }
    if (!allStopped)
        Q_UNUSED(m_pool.release()); // a stuck feeder may still call submit(): keep it valid
    emit shutdownFinished(inTime);
}

BatchManager::Batch *BatchManager::find(BatchId batch)
{
    const auto it = m_batches.find(batch);
    return it == m_batches.end() ? nullptr : &it->second;
}

const BatchManager::Batch *BatchManager::find(BatchId batch) const
{
    const auto it = m_batches.find(batch);
    return it == m_batches.end() ? nullptr : &it->second;
}

} // namespace sluice::app
